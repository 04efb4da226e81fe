package api

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

const secret = "sk-Zq81LmN0pXr7T2vK9wYb"

func TestRedactEveryLongPartOfTheToken(t *testing.T) {
	cases := []struct {
		name, in string
		leaks    []string // must not be in the output
		keeps    []string // must still be in the output
	}{
		{"whole", "invalid key " + secret + " given", []string{secret}, []string{"invalid key ", " given"}},
		{"bearer", "Authorization: Bearer " + secret, []string{secret}, []string{"Authorization: Bearer "}},
		{"prefix cut by a snippet", "key " + secret[:8] + "…", []string{secret[:8]}, []string{"key ", "…"}},
		{"suffix", "key ending in " + secret[len(secret)-9:], []string{secret[len(secret)-9:]}, []string{"key ending in "}},
		{"middle", "x" + secret[5:17] + "y", []string{secret[5:17]}, []string{"x", "y"}},
		{"twice", secret + "," + secret[2:12], []string{secret, secret[2:12]}, []string{","}},
		{"seven is too short to tell", "id " + secret[3:10], nil, []string{secret[3:10]}},
		{"no token", "nothing to hide here", nil, []string{"nothing to hide here"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Redact(tc.in, secret)
			for _, l := range tc.leaks {
				if strings.Contains(got, l) {
					t.Fatalf("%q still holds %q", got, l)
				}
			}
			for _, k := range tc.keeps {
				if !strings.Contains(got, k) {
					t.Fatalf("%q lost %q", got, k)
				}
			}
		})
	}
}

// Wherever a text cuts the token, no 8 characters of it survive.
func TestRedactAnyCut(t *testing.T) {
	for i := 0; i <= len(secret); i++ {
		for j := i; j <= len(secret); j++ {
			got := Redact("<"+secret[i:j]+">", secret)
			if j-i >= MinSecretFragment && strings.Contains(got, secret[i:j]) {
				t.Fatalf("[%d:%d] survived: %q", i, j, got)
			}
			if hasFragment(got, secret) {
				t.Fatalf("[%d:%d] left a fragment: %q", i, j, got)
			}
		}
	}
}

func TestRedactShortToken(t *testing.T) {
	if got := Redact("key abcde!", "abcde"); got != "key "+Redacted+"!" {
		t.Fatal(got)
	}
	if got := Redact("a b c", "b"); got != "a b c" {
		t.Fatal("a one-letter token mangled the text:", got)
	}
	if got := Redact("anything", ""); got != "anything" {
		t.Fatal(got)
	}
}

// A token split by a line break or hidden by a zero-width character is
// joined before it is looked for.
func TestCleanTextFindsASplitToken(t *testing.T) {
	c, _ := NewClient(WithToken(secret))
	for _, in := range []string{
		"bad " + secret[:10] + "\n" + secret[10:],
		"bad " + secret[:10] + "\u200b" + secret[10:],
		"bad " + secret[:10] + "\x1b[0m" + secret[10:],
	} {
		got := c.cleanText(in, 200)
		if hasFragment(got, secret) || strings.ContainsAny(got, "\n\x1b") {
			t.Fatalf("%q → %q", in, got)
		}
	}
}

func TestCleanTextIsOneBoundedLine(t *testing.T) {
	c, _ := NewClient()
	got := c.cleanText(strings.Repeat("line one\r\n\tline two ", 5000), 100)
	if strings.ContainsAny(got, "\r\n\t") || len([]rune(got)) > 100 || !strings.HasSuffix(got, "…") {
		t.Fatalf("%q", got)
	}
}

func TestReduceBody(t *testing.T) {
	cases := map[string]string{
		"<!DOCTYPE html><html><head><style>h1{}</style><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>": "502 Bad Gateway",
		"<html><body>\n<script>var x=1</script>\n<h1>Service &amp; Maintenance</h1><p>back soon</p></body></html>":            "Service & Maintenance",
		`<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>`:                 "AccessDenied: Request has expired",
		"\n\n  upstream connect error\nreset reason: overflow\n":                                                              "upstream connect error",
		"<html><title>\n  Split\n  title </title>":                                                                            "Split title",
		"<<<>>>": "<<<>>>",
		"":       "",
	}
	for in, want := range cases {
		if got := reduceBody([]byte(in)); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

func TestErrorTextsAreOneBoundedLine(t *testing.T) {
	long := strings.Repeat("word ", 10000)
	errs := []error{
		&Error{HTTPStatus: 500, Message: long},
		&TaskError{TaskID: "t", State: -1, Detail: long},
		&ProtocolError{HTTPStatus: 200, Reason: long},
		&NetworkError{Op: opPoll, Host: "h", Reason: long},
		&WaitError{TaskID: "t", Err: &Error{HTTPStatus: 503, Message: long}},
		&ExpiredLinkError{HTTPStatus: 403, Host: "h", Detail: long},
	}
	for _, err := range errs {
		s := err.Error()
		if strings.ContainsAny(s, "\r\n") || len([]rune(s)) > maxErrorRunes {
			t.Errorf("%T: %d runes", err, len([]rune(s)))
		}
	}
}

func TestSealRedactsWhatSlippedThrough(t *testing.T) {
	c, _ := NewClient(WithToken(secret))
	inner := &ValidationError{Field: "x", Reason: "echo " + secret}
	err := c.seal(inner)
	var ve *ValidationError
	if hasFragment(err.Error(), secret) || !IsValidation(err) || !errorsAs(err, &ve) {
		t.Fatalf("%v", err)
	}
}

// hasFragment reports whether s holds 8+ characters of token.
func hasFragment(s, token string) bool {
	for i := 0; i+MinSecretFragment <= len(token); i++ {
		if strings.Contains(s, token[i:i+MinSecretFragment]) {
			return true
		}
	}
	return false
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }

func TestIsTemporary(t *testing.T) {
	temporary := []error{
		&NetworkError{Op: opPoll, Reason: "connection reset", Err: errors.New("reset")},
		&NetworkError{Op: opPoll, Timeout: true, Phase: phaseConnecting.String()},
		&Error{HTTPStatus: 503}, &Error{HTTPStatus: 200, Status: 429}, &Error{HTTPStatus: 408},
		&ProtocolError{HTTPStatus: 200, Reason: "cut short"},
		&WaitError{TaskID: "t", Err: &Error{HTTPStatus: 502}},
	}
	lasting := []error{
		nil, context.Canceled, &WaitError{TaskID: "t", Err: context.DeadlineExceeded},
		&TaskError{State: StateFailed}, &ValidationError{"prompt", "empty"}, &ExpiredLinkError{HTTPStatus: 403},
		&RedirectError{}, ErrTooLarge, &Error{HTTPStatus: 401}, &Error{HTTPStatus: 404}, &Error{HTTPStatus: 400},
		&NetworkError{Op: opPoll, Err: &net.DNSError{IsNotFound: true}},
	}
	for _, err := range temporary {
		if !IsTemporary(err) {
			t.Errorf("%T %v: want temporary", err, err)
		}
	}
	for _, err := range lasting {
		if IsTemporary(err) {
			t.Errorf("%T %v: want lasting", err, err)
		}
	}
}

func TestDefaultOptionsComeFirst(t *testing.T) {
	defer func(old []Option) { DefaultOptions = old }(DefaultOptions)
	DefaultOptions = []Option{WithPollInterval(7 * time.Millisecond), WithUserAgent("everyone")}
	c, err := NewClient(WithUserAgent("mine"))
	if err != nil || c.pollInterval != 7*time.Millisecond || c.userAgent != "mine" {
		t.Fatalf("%v %v %q", err, c.pollInterval, c.userAgent)
	}
}
