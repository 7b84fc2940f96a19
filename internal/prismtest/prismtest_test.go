package prismtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func do(t *testing.T, method, url, auth, contentType, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return send(t, req)
}

// send sends req and returns the status, headers and body of the answer.
func send(t *testing.T, req *http.Request) (int, http.Header, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// doAccept is a GET with an Accept header (none when accept is "").
func doAccept(t *testing.T, url, accept string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return send(t, req)
}

func TestPetstore(t *testing.T) {
	base := Start(t, "testdata/petstore.yaml")
	const auth = "Bearer sk_test_x"

	t.Run("valid request gets the static example", func(t *testing.T) {
		code, _, body := do(t, "GET", base+"/pets?limit=2", auth, "", "")
		if code != 200 {
			t.Fatalf("GET /pets?limit=2: status %d, body %s", code, body)
		}
		var pets []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		}
		if err := json.Unmarshal([]byte(body), &pets); err != nil {
			t.Fatalf("decode %s: %v", body, err)
		}
		if len(pets) != 2 || pets[0].Name != "Rex" {
			t.Fatalf("want the spec's example, got %s", body)
		}
	})

	t.Run("wrong query parameter type is 422", func(t *testing.T) {
		code, hdr, body := do(t, "GET", base+"/pets?limit=abc", auth, "", "")
		if code != 422 {
			t.Fatalf("GET /pets?limit=abc: status %d, body %s", code, body)
		}
		if ct := hdr.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
			t.Errorf("content type %q", ct)
		}
		if !strings.Contains(body, `"location":["query","limit"]`) {
			t.Errorf("422 body does not point at query.limit: %s", body)
		}
	})

	t.Run("invalid JSON body is 422", func(t *testing.T) {
		code, _, body := do(t, "POST", base+"/pets", auth, "application/json", `{"nam":1}`)
		if code != 422 {
			t.Fatalf("POST /pets {nam:1}: status %d, body %s", code, body)
		}
		code, _, body = do(t, "POST", base+"/pets", auth, "application/json", `{"name":"Nemo"}`)
		if code != 201 {
			t.Fatalf("POST /pets {name:Nemo}: status %d, body %s", code, body)
		}
	})

	t.Run("missing credentials are 401", func(t *testing.T) {
		code, _, body := do(t, "GET", base+"/pets", "", "", "")
		if code != 401 {
			t.Fatalf("GET /pets without Authorization: status %d, body %s", code, body)
		}
	})
}

func TestRepoRoot(t *testing.T) {
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if modulePath(root+"/go.mod") != ModulePath {
		t.Fatalf("RepoRoot() = %s, whose go.mod is not %s", root, ModulePath)
	}
}
