package rtimpl

import (
	"encoding/json"
)

// HasMembers reports whether data is a JSON object with every one of the
// named members (null counts as present). Generated unions without a
// discriminator use it beside [DecodeStrict], so that an object missing a
// variant's required members is not taken for that variant (JSON Schema
// 2020-12 §10.2.1.3 and "required", §6.5.3).
func HasMembers(data []byte, names ...string) bool {
	if len(names) == 0 {
		return true
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(data, &obj) != nil {
		return false
	}
	for _, n := range names {
		if _, ok := obj[n]; !ok {
			return false
		}
	}
	return true
}
