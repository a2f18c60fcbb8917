package detect

// embeddedModel returns the default model's bytes, nil while none is embedded.
func embeddedModel() []byte { return nil }
