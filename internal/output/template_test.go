package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestExpandTemplate(t *testing.T) {
	at := time.Date(2026, 3, 9, 14, 5, 7, 0, time.Local)
	f := NameFields{Name: "red shoe", N: 2, Prompt: "white marble\ntabletop,  soft light", Time: at, Task: "task-42"}
	cases := []struct {
		tmpl string
		f    NameFields
		want string
	}{
		{"", f, "red shoe-bg-2"},
		{DefaultTemplate, f, "red shoe-bg-2"},
		{"{name}_{prompt}_{n}", f, "red shoe_white marble tabletop, soft light_2"},
		{"{date} {time} {task} v{n}", f, "2026-03-09 14-05-07 task-42 v2"},
		{"{name}-{foo}-{n}", f, "red shoe-{foo}-2"},
		{"{name}-{n", f, "red shoe-{n"},
		{"{task}/{n}", NameFields{Task: "../../etc/passwd", N: 1, Time: at}, "__.._etc_passwd_1"},
		{"{name}", NameFields{Name: "CON"}, "CON_"},
		{"{name}", NameFields{Name: "com1.tar"}, "com1_.tar"},
		{"{name}", NameFields{Name: "lpt9 "}, "lpt9_"},
		{"{name}-bg-{n}", NameFields{Name: "CON", N: 1}, "CON-bg-1"},
		{"{name}", NameFields{Name: "CONSOLE"}, "CONSOLE"},
		{"{prompt}", NameFields{Prompt: strings.Repeat("word ", 40)}, strings.TrimSpace(strings.Repeat("word ", 12))},
	}
	for _, tc := range cases {
		if got := ExpandTemplate(tc.tmpl, tc.f); got != tc.want {
			t.Errorf("ExpandTemplate(%q) = %q, want %q", tc.tmpl, got, tc.want)
		}
	}
}

func TestSanitizeName(t *testing.T) {
	cases := map[string]string{
		"plain":                              "plain",
		`a<b>c:d"e/f\g|h?i*j`:                "a_b_c_d_e_f_g_h_i_j",
		"a\x00b\x1fc\x7fd":                   "a_b_c_d",
		"a\xffb":                             "a_b",
		"photo\u202egnp.exe":                 "photognp.exe",
		"\u2066x\u2069":                      "x",
		"shoe...":                            "shoe",
		"shoe. . ":                           "shoe",
		"  shoe":                             "shoe",
		".hidden":                            "_hidden",
		"..":                                 "_",
		".":                                  "_",
		"":                                   "image",
		"   ":                                "image",
		"tab\there":                          "tab here",
		"nul":                                "nul_",
		"Aux.png":                            "Aux_.png",
		"COM¹":                               "COM¹_",
		"COM10":                              "COM10",
		"emoji 👩‍🎨 ok":                       "emoji 👩‍🎨 ok",
		"C1 \u0086 control":                  "C1 _ control",
		"conin$":                             "conin$_",
		"naïve café":                         "naïve café",
		"x" + strings.Repeat(" ", 300) + "y": "x",
	}
	for in, want := range cases {
		if got := SanitizeName(in); got != want {
			t.Errorf("SanitizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSanitizeNameCutsWholeCharacters(t *testing.T) {
	for _, unit := range []string{"a", "é", "e\u0301", "日", "😀", "각", "👩‍🎨"} {
		got := SanitizeName(strings.Repeat(unit, 400))
		if !utf8.ValidString(got) || len(got) > MaxStemBytes || len(norm.NFD.String(got)) > MaxStemBytes {
			t.Fatalf("%q×400 → %d bytes (%d decomposed), valid %v", unit, len(got), len(norm.NFD.String(got)), utf8.ValidString(got))
		}
		if len(got) < MaxStemBytes/4 {
			t.Fatalf("%q×400 cut too short: %d bytes", unit, len(got))
		}
		// Whole characters only: the cut leaves no dangling accent or half emoji.
		n := norm.NFC.String(got)
		u := norm.NFC.String(unit)
		if strings.ReplaceAll(n, u, "") != "" {
			t.Fatalf("%q×400 cut inside a character: %q", unit, got)
		}
	}
}

func TestCheckTemplate(t *testing.T) {
	for _, ok := range []string{DefaultTemplate, "{name}", "{date}_{time}_{task}_{n}", "{prompt} {n}", "fixed", "a}b"} {
		if err := CheckTemplate(ok); err != nil {
			t.Errorf("CheckTemplate(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "  ", "{nam}-{n}", "{name", "{}", "{Name}"} {
		if err := CheckTemplate(bad); err == nil {
			t.Errorf("CheckTemplate(%q) accepted", bad)
		}
	}
}

// checkName fails when name is not safe on Linux, macOS and Windows.
func checkName(t *testing.T, name string) {
	t.Helper()
	switch {
	case name == "" || name == "." || name == "..":
		t.Fatalf("empty or dot name %q", name)
	case !utf8.ValidString(name):
		t.Fatalf("invalid UTF-8 %q", name)
	case len(name) > MaxStemBytes || len(norm.NFD.String(name)) > MaxStemBytes:
		t.Fatalf("%d bytes: %q", len(name), name)
	case strings.ContainsAny(name, "<>:\"/\\|?*\x7f"):
		t.Fatalf("forbidden character in %q", name)
	case strings.HasSuffix(name, ".") || strings.HasSuffix(name, " ") || strings.HasPrefix(name, "."):
		t.Fatalf("leading dot or trailing dot/space in %q", name)
	case isReserved(name) || isReserved(name+".png"):
		t.Fatalf("reserved name %q", name)
	}
	for _, r := range name {
		if r < 0x20 || (r >= 0x80 && r < 0xa0) || isInvisibleFormat(r) {
			t.Fatalf("control or direction character %U in %q", r, name)
		}
	}
}

func FuzzExpandTemplate(f *testing.F) {
	f.Add(DefaultTemplate, "red shoe", "white marble", "task-1", 1)
	f.Add("{name}_{prompt}_{date}_{time}_{task}", "CON", "a/b\\c", "../x", 4)
	f.Add("{prompt}", "", strings.Repeat("é", 300), "", 2)
	f.Add("{name}{n}", "\xff\xfe.", "\u202e", "aux", 3)
	f.Add("..{name}..", " . ", "\x00", "{n}", 0)
	f.Fuzz(func(t *testing.T, tmpl, name, prompt, task string, n int) {
		got := ExpandTemplate(tmpl, NameFields{Name: name, N: n, Prompt: prompt, Task: task, Time: time.Unix(0, 0)})
		checkName(t, got)
		if again := SanitizeName(got); again != got {
			t.Fatalf("not stable: %q → %q", got, again)
		}
	})
}

// The names the fuzz target checks are also accepted by this file system.
func TestSanitizedNamesCanBeCreated(t *testing.T) {
	dir := t.TempDir()
	for _, in := range []string{"a<b>", "CON", strings.Repeat("日本", 200), "x\u202ey", "..", "shoe. "} {
		name := SanitizeName(in) + ".png"
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatalf("%q → %q: %v", in, name, err)
		}
	}
}
