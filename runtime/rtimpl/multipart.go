package rtimpl

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"reflect"
	"strings"
	"sync"

	"github.com/connectorgen/connectorgen/runtime"
)

// SetMultipartBody streams v, a struct whose json tags (or jsonname tags,
// see [MarshalNamed]) name the parts, as
// multipart/form-data (RFC 7578): File and []File fields become file
// parts, scalars and arrays of scalars text parts (one per item), objects
// and other arrays JSON parts. Absent
// optional fields are left out. The body is produced while it is sent
// (nothing is buffered), so a call with such a body is not retried.
func SetMultipartBody(r *runtime.Request, v any) {
	b := builder(r)
	b.Body = func() (io.Reader, string, error) {
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		body := &lazyBody{pr: pr, start: func() {
			err := writeParts(mw, v)
			if err == nil {
				err = mw.Close()
			}
			pw.CloseWithError(err)
		}}
		return body, mw.FormDataContentType(), nil
	}
}

// lazyBody starts writing the parts on the first Read, so a request that
// is never sent leaves no goroutine behind; Close stops the writer.
type lazyBody struct {
	once  sync.Once
	pr    *io.PipeReader
	start func()
}

func (b *lazyBody) Read(p []byte) (int, error) {
	b.once.Do(func() { go b.start() })
	return b.pr.Read(p)
}

// Close ends the body; a writer still producing parts gets an error.
func (b *lazyBody) Close() error { return b.pr.Close() }

// writeParts writes one part per present field of the struct v.
func writeParts(mw *multipart.Writer, v any) error {
	rv := reflect.Indirect(reflect.ValueOf(v))
	if rv.Kind() != reflect.Struct {
		return fmt.Errorf("multipart body must be a struct, not %s", rv.Kind())
	}
	for i := 0; i < rv.NumField(); i++ {
		f := rv.Type().Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if exact, ok := f.Tag.Lookup(nameTag); ok {
			name = exact // a name encoding/json cannot use as a tag key
		} else if name == "" || name == "-" {
			continue
		}
		if !f.IsExported() {
			continue
		}
		val, ok := unwrap(rv.Field(i).Interface())
		if !ok {
			continue
		}
		if err := writePart(mw, name, val); err != nil {
			return fmt.Errorf("multipart part %q: %w", name, err)
		}
	}
	return nil
}

func writePart(mw *multipart.Writer, name string, val any) error {
	switch x := val.(type) {
	case runtime.File:
		return writeFile(mw, name, x)
	case []runtime.File:
		for _, f := range x {
			if err := writeFile(mw, name, f); err != nil {
				return err
			}
		}
		return nil
	}
	if isScalar(val) {
		return mw.WriteField(name, FormatParam(val))
	}
	rv := reflect.ValueOf(val)
	if (rv.Kind() == reflect.Slice || rv.Kind() == reflect.Map) && rv.Len() == 0 {
		return nil
	}
	if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() != reflect.Uint8 && isScalar(rv.Index(0).Interface()) {
		for i := 0; i < rv.Len(); i++ { // an array of scalars: one text part per item
			if err := mw.WriteField(name, FormatParam(rv.Index(i).Interface())); err != nil {
				return err
			}
		}
		return nil
	}
	data, err := compactJSON(val)
	if err != nil {
		return err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q`, name))
	h.Set("Content-Type", "application/json")
	w, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

func writeFile(mw *multipart.Writer, name string, f runtime.File) error {
	if f.Content == nil {
		return nil
	}
	fileName, ct := f.Name, f.ContentType
	if fileName == "" {
		fileName = "file"
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, name, fileName))
	h.Set("Content-Type", ct)
	w, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, f.Content)
	return err
}
