package trillet

// Finalized counts clients freed by the finalizer (for the tests).
var Finalized = &finalized

// ParseError exposes parseError to the tests.
var ParseError = parseError
