package gpkg

import (
	"encoding/xml"
	"strconv"
)

// node is an XML element built in code: the QML and SLD documents are
// trees of these, which encoding/xml escapes.
type node struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Text     string     `xml:",chardata"`
	Children []node
}

// el is the element name with attributes given as name, value pairs and
// its children.
func el(name string, attrs []string, children ...node) node {
	n := node{XMLName: xml.Name{Local: name}, Children: children}
	for i := 0; i+1 < len(attrs); i += 2 {
		n.Attrs = append(n.Attrs, xml.Attr{Name: xml.Name{Local: attrs[i]}, Value: attrs[i+1]})
	}
	return n
}

// text is the element name holding s.
func text(name, s string, attrs ...string) node {
	n := el(name, attrs)
	n.Text = s
	return n
}

// attrs is its arguments, for el's attribute list.
func attrs(kv ...string) []string { return kv }

// number is f as XML writes it: the shortest exact decimal.
func number(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// document is root as an XML document, after header (an XML declaration
// and, for QML, a doctype).
func document(header string, root node) (string, error) {
	b, err := xml.MarshalIndent(root, "", " ")
	if err != nil {
		return "", err
	}
	return header + string(b) + "\n", nil
}
