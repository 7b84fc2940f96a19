package runtime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Int64String is an integer sent as a JSON string (type string, format
// int64), read from a string or a number.
type Int64String int64

// MarshalJSON encodes n as a quoted decimal integer.
func (n Int64String) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.FormatInt(int64(n), 10) + `"`), nil
}

// UnmarshalJSON accepts "123" or 123; null leaves n unchanged.
func (n *Int64String) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return nil
	}
	s := string(bytes.Trim(b, `"`))
	if len(b) > 0 && b[0] == '"' {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		s = str
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("integer carried as a string: %w", err)
	}
	*n = Int64String(v)
	return nil
}
