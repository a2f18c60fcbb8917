package corpus

// stubErr is returned by readers not written yet. This file goes once every reader exists.
func stubErr(f Format, name string) error {
	return &ParseError{File: name, Offset: -1, Format: f, Msg: "reader not implemented yet", Err: ErrUnknownFormat}
}
