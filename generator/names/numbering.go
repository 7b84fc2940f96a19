package names

import (
	"strconv"
	"unicode/utf8"
)

// numbered returns the i-th numbered alternative to want: want+"2" for
// i == 2, with an underscore before the number when want ends in a digit
// or an underscore, so that no two Wants share a numbered name.
func numbered(want string, i int) string {
	if r, _ := utf8.DecodeLastRuneInString(want); r == '_' || (r >= '0' && r <= '9') {
		return want + "_" + strconv.Itoa(i)
	}
	return want + strconv.Itoa(i)
}
