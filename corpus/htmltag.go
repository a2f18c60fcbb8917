package corpus

import (
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlTag is the start tag an html.Tokenizer has just read: its name and the attributes that the
// HTML export readers (Telegram, Discord) look at. The values point into the tokenizer's buffer:
// they are valid until its next token.
type htmlTag struct {
	name                               string // lower case; no allocation for the elements HTML knows
	class                              tgClasses
	id, title, href, src, alt, onclick []byte
	dataMessageID, dataSource          []byte // data-message-id, data-source
}

// readTag reads the current start tag of z.
func readTag(z *html.Tokenizer) htmlTag {
	name, more := z.TagName()
	var t htmlTag
	if a := atom.Lookup(name); a != 0 {
		t.name = a.String()
	} else {
		t.name = string(name)
	}
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		switch string(k) {
		case "class":
			t.class = v
		case "id":
			t.id = v
		case "title":
			t.title = v
		case "href":
			t.href = v
		case "src":
			t.src = v
		case "alt":
			t.alt = v
		case "onclick":
			t.onclick = v
		case "data-message-id":
			t.dataMessageID = v
		case "data-source":
			t.dataSource = v
		}
	}
	return t
}
