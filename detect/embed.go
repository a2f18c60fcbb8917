package detect

import "github.com/vigie/vigie/models/embedded"

// embeddedModel returns the default model's bytes.
func embeddedModel() []byte { return embedded.Model() }
