module github.com/trillet-ai/trillet/bindings/go

go 1.23
