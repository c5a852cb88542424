package trillet

// Finalized counts clients freed by the finalizer (for the tests).
var Finalized = &finalized

// ObserveErrors makes f see every error the package's invalid and parseError make (f must be
// safe for concurrent use; set before the tests run).
func ObserveErrors(f func(*Error)) { observeError = f }

// ParseError exposes parseError to the tests.
var ParseError = parseError
