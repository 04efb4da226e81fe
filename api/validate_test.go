package api_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backdrop/api"
)

func TestValidationNamesTheFieldAndSendsNothing(t *testing.T) {
	dir := t.TempDir()
	shot := writePNG(t, dir, "shot.png", 8, 8)
	textFile := filepath.Join(dir, "fake.png")
	os.WriteFile(textFile, []byte("this is not an image at all"), 0o644)
	big := filepath.Join(dir, "big.png")
	f, _ := os.Create(big)
	f.Truncate(api.MaxImageBytes + 1)
	f.Close()

	cases := []struct {
		name  string
		req   api.CreateRequest
		field string
	}{
		{"no image", api.CreateRequest{Prompt: "p"}, "image_file"},
		{"both images", api.CreateRequest{ImageFile: shot, ImageURL: "https://x.test/a.png", Prompt: "p"}, "image_url"},
		{"ftp url", api.CreateRequest{ImageURL: "ftp://x.test/a.png", Prompt: "p"}, "image_url"},
		{"relative url", api.CreateRequest{ImageURL: "/a.png", Prompt: "p"}, "image_url"},
		{"batch 5", api.CreateRequest{ImageFile: shot, Prompt: "p", BatchSize: 5}, "batch_size"},
		{"batch -1", api.CreateRequest{ImageFile: shot, Prompt: "p", BatchSize: -1}, "batch_size"},
		{"empty prompt", api.CreateRequest{ImageFile: shot, Prompt: "  \n\t "}, "prompt"},
		{"long prompt", api.CreateRequest{ImageFile: shot, Prompt: strings.Repeat("é", 1025)}, "prompt"},
		{"bad callback", api.CreateRequest{ImageFile: shot, Prompt: "p", CallbackURL: "mailto:a@b.c"}, "callback_url"},
		{"missing file", api.CreateRequest{ImageFile: filepath.Join(dir, "nope.png"), Prompt: "p"}, "image_file"},
		{"folder", api.CreateRequest{ImageFile: dir, Prompt: "p"}, "image_file"},
		{"not an image", api.CreateRequest{ImageFile: textFile, Prompt: "p"}, "image_file"},
		{"too large", api.CreateRequest{ImageFile: big, Prompt: "p"}, "image_file"},
	}
	sent := 0
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sent++ }))
	defer hs.Close()
	c := newClient(t, hs.URL)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Generate(context.Background(), tc.req, nil)
			var ve *api.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want a *ValidationError", err)
			}
			if ve.Field != tc.field {
				t.Fatalf("field %q, want %q (%v)", ve.Field, tc.field, err)
			}
			if !strings.HasPrefix(err.Error(), tc.field+": ") {
				t.Fatalf("message %q does not name the field", err)
			}
		})
	}
	if sent != 0 {
		t.Fatalf("%d requests reached the server for invalid input", sent)
	}
}

func TestValidationAcceptsEdgeValues(t *testing.T) {
	dir := t.TempDir()
	shot := writePNG(t, dir, "shot.png", 8, 8)
	// A PNG under a misleading name is judged by its content.
	misnamed := filepath.Join(dir, "photo.txt")
	data, _ := os.ReadFile(shot)
	os.WriteFile(misnamed, data, 0o644)
	ok := []api.CreateRequest{
		{ImageFile: shot, Prompt: strings.Repeat("é", 1024), BatchSize: 4},
		{ImageFile: shot, Prompt: "  padded  ", BatchSize: 1},
		{ImageFile: misnamed, Prompt: "p"},
		{ImageURL: "http://127.0.0.1/a.png", Prompt: "p", CallbackURL: "https://hooks.test/cb"},
	}
	for i, r := range ok {
		if err := r.Validate(); err != nil {
			t.Errorf("case %d: %v", i, err)
		}
	}
}
