package rtimpl

import (
	"encoding/json"
	"fmt"
)

// DetailText renders v as compact JSON of at most 200 bytes.
func DetailText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%T", v)
	}
	if len(b) > 200 {
		b = append(b[:200], "…"...)
	}
	return string(b)
}
