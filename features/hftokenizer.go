package features

// Tokenizer turns a message into model input ids, appended to dst.
type Tokenizer interface {
	Encode(text string, dst []int64) ([]int64, error)
	Name() string
}
