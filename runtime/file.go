package runtime

import "io"

// File is one file part of a multipart/form-data body (OpenAPI 3.1
// §4.8.14.5; a string property with format binary). Content is streamed,
// never read into memory.
type File struct {
	Name        string    // file name sent in Content-Disposition; "file" when empty
	ContentType string    // media type of the part; application/octet-stream when empty
	Content     io.Reader // the bytes
}
