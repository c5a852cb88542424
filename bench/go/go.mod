module trillet-bench

go 1.23

require github.com/trillet-ai/trillet/bindings/go v0.0.0

replace github.com/trillet-ai/trillet/bindings/go => ../../bindings/go
