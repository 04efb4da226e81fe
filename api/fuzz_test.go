package api

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The seed corpora are in testdata/fuzz/<target>; `make test` runs them
// as plain tests, `make fuzz` explores from them.

const fuzzToken = "sk-fuzz-7d41c0e9b2a84f65"

// FuzzDecodeAnswer feeds any HTTP status and body to the answer decoder:
// it never panics, keeps at most MaxBatchSize results, and fails only with
// a typed error whose text is one bounded line without the token.
func FuzzDecodeAnswer(f *testing.F) {
	f.Add(200, []byte(`{"status":200,"data":{"task_id":"t","state":1,"image":"https://x/1.png"}}`))
	f.Add(200, []byte(`{"status":401,"message":"bad token `+fuzzToken+`"}`))
	f.Add(500, []byte("<html><title>down</title></html>"))
	c, _ := NewClient(WithToken(fuzzToken), WithBaseURL("https://api.example.com/v1/"))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			status = 200
		}
		task, err := c.decode(opPoll, &answer{status: status, header: http.Header{}, body: body})
		if err != nil {
			var ae *Error
			var pe *ProtocolError
			if !errors.As(err, &ae) && !errors.As(err, &pe) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			checkText(t, err.Error())
			return
		}
		if len(task.Images) > MaxBatchSize {
			t.Fatalf("%d images", len(task.Images))
		}
		checkText(t, task.StateDetail)
		checkText(t, task.ErrInfo)
		for _, ref := range task.Images {
			if ref == "" {
				t.Fatal("an empty result reference")
			}
		}
		if terr := task.err(c.Redact); terr != nil {
			checkText(t, terr.Error())
		}
	})
}

// FuzzInspectImage checks the sniffing and the pixel limit on any bytes:
// no panic, and a header that passes is of an accepted format within
// MaxImagePixels.
func FuzzInspectImage(f *testing.F) {
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\x86\xa0\x00\x01\x86\xa0\x08\x06\x00\x00\x00"))
	f.Add([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"))
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPVP8 "))
	f.Add([]byte("BM\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := InspectImage(data)
		if err == nil {
			if !acceptedTypes[info.Format] {
				t.Fatalf("passed as %q", info.Format)
			}
			if int64(info.Width)*int64(info.Height) > MaxImagePixels {
				t.Fatalf("passed %d × %d", info.Width, info.Height)
			}
		}
		if info.Format != SniffImage(data) {
			t.Fatalf("format %q, sniffed %q", info.Format, SniffImage(data))
		}
		looksWhole(data)
		isInlineImage(string(data))
	})
}

// FuzzMultipartFileName builds the upload for any file name: the form
// always parses, names the file part image_file with a clean, non-empty
// file name, and keeps the other fields intact.
func FuzzMultipartFileName(f *testing.F) {
	f.Add("shot.png", "soft light")
	f.Add(`we"ird\name`+"\r\n.png", "prompt")
	f.Add("\u200b\x00\xff.jpg", "日本語のプロンプト")
	f.Fuzz(func(t *testing.T, name, prompt string) {
		if prompt == "" || !utf8.ValidString(prompt) {
			prompt = "p"
		}
		p := &preparedRequest{CreateRequest: CreateRequest{ImageFile: "/shots/" + name, Prompt: prompt, BatchSize: 2},
			fileSize: 4, fileContentType: "image/png"}
		body, err := newUploadBody(p)
		if err != nil {
			t.Fatal(err)
		}
		whole := bytes.Join([][]byte{body.prefix, []byte("DATA"), body.suffix}, nil)
		if int64(len(whole)) != body.Len() {
			t.Fatalf("Len %d, body %d", body.Len(), len(whole))
		}
		_, params, err := mime.ParseMediaType(body.contentType)
		if err != nil {
			t.Fatal(err)
		}
		r := multipart.NewReader(bytes.NewReader(whole), params["boundary"])
		fields := map[string]string{}
		for {
			part, err := r.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("the form does not parse: %v", err)
			}
			data, _ := io.ReadAll(part)
			if part.FormName() == "image_file" {
				fn := part.FileName()
				if fn == "" || strings.ContainsFunc(fn, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) {
					t.Fatalf("file name %q from %q", fn, name)
				}
				if string(data) != "DATA" {
					t.Fatalf("file data %q", data)
				}
			}
			fields[part.FormName()] = string(data)
		}
		if fields["prompt"] != prompt || fields["batch_size"] != "2" || fields["sync"] != "0" {
			t.Fatalf("fields %q", fields)
		}
		if _, ok := fields["image_file"]; !ok {
			t.Fatal("no file part")
		}
	})
}

// FuzzRedact: whatever the text and the token, no 8 characters of the
// token survive.
func FuzzRedact(f *testing.F) {
	f.Add("key sk-abcdefghijkl is bad", "sk-abcdefghijkl")
	f.Add("aaaaaaaaaaaaaaaa", "aaaaaaaaa")
	f.Fuzz(func(t *testing.T, s, token string) {
		got := Redact(s, token)
		tok := strings.TrimSpace(token)
		if len(tok) < MinSecretFragment {
			return
		}
		for i := 0; i+MinSecretFragment <= len(tok); i++ {
			frag := tok[i : i+MinSecretFragment]
			if strings.Contains(got, frag) && !strings.Contains(Redacted, frag) {
				t.Fatalf("%q survives in %q", frag, got)
			}
		}
	})
}

// FuzzReduceBody: any error body becomes one line of printable text.
func FuzzReduceBody(f *testing.F) {
	f.Add([]byte("<html><title>x</title></html>"))
	f.Add([]byte("<?xml version=\"1.0\"?><Error><Code>A</Code><Message>B</Message></Error>"))
	f.Fuzz(func(t *testing.T, body []byte) {
		s := reduceBody(body)
		if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) }) || !utf8.ValidString(s) {
			t.Fatalf("%q", s)
		}
	})
}

// checkText fails if s is not one bounded line without the token.
func checkText(t *testing.T, s string) {
	t.Helper()
	if strings.ContainsAny(s, "\r\n") || utf8.RuneCountInString(s) > maxErrorRunes || !utf8.ValidString(s) {
		t.Fatalf("not one bounded line: %q", s)
	}
	if Redact(s, fuzzToken) != s {
		t.Fatalf("holds the token: %q", s)
	}
}
