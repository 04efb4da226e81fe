package library

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"time"
)

// ID names a run in the library. IDs grow with each run added and are
// never reused.
type ID int64

// State is where a run stands, as the library knows it.
type State string

// The states a run passes through. Waiting, Sending and Created are under
// way; the others are final.
const (
	StateWaiting     State = "waiting"      // in a queue, nothing sent
	StateSending     State = "sending"      // the create is on its way
	StateCreated     State = "created"      // the service holds a task for it
	StateDone        State = "done"         // every image arrived
	StateFailed      State = "failed"       // see Run.Error
	StateCancelled   State = "cancelled"    // stopped by the user
	StateExpired     State = "expired"      // its task outlived the service's hour; run it again
	StateMaybeBilled State = "maybe-billed" // a create left without its answer; never re-sent by itself
)

// Final tells whether nothing more will happen to a run in this state.
func (st State) Final() bool {
	switch st {
	case StateWaiting, StateSending, StateCreated:
		return false
	}
	return true
}

// OfflineBackend is the Backend of runs painted by the built-in engine;
// they cost nothing and are left out of Spend.
const OfflineBackend = "offline engine"

// Source is the shot a run starts from: a file, or a URL the service fetches.
type Source struct {
	Path string `json:"path,omitempty"`   // local file, "" for a URL
	Hash string `json:"sha256,omitempty"` // of the file's content, hex (see HashFile)
	URL  string `json:"url,omitempty"`    // the image_url sent, "" for a file
}

// Name is the file name a source is known by.
func (src Source) Name() string {
	if src.Path != "" {
		return filepath.Base(src.Path)
	}
	if u, err := url.Parse(src.URL); err == nil && u.Path != "" && path.Base(u.Path) != "/" {
		return path.Base(u.Path)
	}
	return src.URL
}

// key is what identifies the shot in a SkipKey: its content where known.
func (src Source) key() string {
	switch {
	case src.Hash != "":
		return "sha256:" + src.Hash
	case src.URL != "":
		return "url:" + src.URL
	}
	return "path:" + src.Path
}

// NewRun is what the queue knows of a run when it is added.
type NewRun struct {
	Source   Source
	Prompt   string
	Variants int // asked for, 1..4
	Options  any // marshalled with encoding/json (map keys sorted)
	Backend  string
}

// Key is the run's skip key.
func (n NewRun) Key() SkipKey {
	return SkipKey{Source: n.Source, Prompt: n.Prompt, Variants: n.Variants, Options: n.Options}
}

// SkipKey says which runs count as the same work: same file content (or
// URL), prompt, variant count and options.
type SkipKey struct {
	Source   Source
	Prompt   string
	Variants int
	Options  any
}

// Digest is the key as stored.
func (k SkipKey) Digest() (string, error) {
	opts, err := canonicalJSON(k.Options)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, part := range []string{k.Source.key(), k.Prompt, strconv.Itoa(k.Variants), opts} {
		fmt.Fprintf(h, "%d:%s\n", len(part), part)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// canonicalJSON marshals v with object keys sorted and no spaces, so equal
// options give equal text whatever their Go type.
func canonicalJSON(v any) (string, error) {
	if v == nil {
		return "{}", nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("options: %w", err)
	}
	var generic any
	if err := json.Unmarshal(raw, &generic); err != nil {
		return "", fmt.Errorf("options: %w", err)
	}
	if generic == nil {
		return "{}", nil
	}
	out, err := json.Marshal(generic)
	return string(out), err
}

// HashFile returns the sha256 of a file's content, hex, as Source.Hash wants.
func HashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Run is one recorded run. Its JSON form is what `backdrop library --json`
// can print.
type Run struct {
	ID       ID              `json:"id"`
	Source   Source          `json:"source"`
	Prompt   string          `json:"prompt"`
	Variants int             `json:"variants"` // asked for
	Options  json.RawMessage `json:"options"`  // as given to Added, canonical
	Backend  string          `json:"backend"`
	TaskID   string          `json:"task_id,omitempty"`
	State    State           `json:"state"`
	Error    string          `json:"error,omitempty"`
	Added    time.Time       `json:"added"`
	Sent     time.Time       `json:"sent,omitzero"`     // zero until Sending
	Created  time.Time       `json:"created,omitzero"`  // zero until Created
	Finished time.Time       `json:"finished,omitzero"` // zero until Ended (or marked by Resume)
	Images   []Variant       `json:"images"`            // by number
}

// Again is the run as a NewRun, to add it once more ("Run again", or a
// re-run of one that expired or may have been billed).
func (r Run) Again() NewRun {
	var opts any
	if len(r.Options) > 0 {
		opts = r.Options
	}
	return NewRun{Source: r.Source, Prompt: r.Prompt, Variants: r.Variants, Options: opts, Backend: r.Backend}
}

// Image returns variant n, if it arrived.
func (r Run) Image(n int) (Variant, bool) {
	for _, v := range r.Images {
		if v.N == n {
			return v, true
		}
	}
	return Variant{}, false
}

// Variant is one image of a run.
type Variant struct {
	N          int       `json:"n"`                     // 1-based
	Path       string    `json:"path"`                  // the library's own copy: always there while the run is
	CachedPath string    `json:"cached_path,omitempty"` // where the queue downloaded it
	SavedPath  string    `json:"saved_path,omitempty"`  // in the output folder, "" if not saved
	Width      int       `json:"width"`
	Height     int       `json:"height"`
	Format     string    `json:"format"` // content type, e.g. "image/png"
	Starred    bool      `json:"starred"`
	Thumbnail  string    `json:"thumbnail,omitempty"` // "" until made (see Store.Thumbnail)
	Saved      time.Time `json:"saved"`
}

// SavedVariant is what the queue reports when a variant is on disk.
type SavedVariant struct {
	N          int    // 1-based
	CachedPath string // the downloaded file (preferred source of the kept copy)
	SavedPath  string // the copy in the output folder, "" if none
	Data       []byte // the image itself, when neither file can be read
	Width      int    // 0: read from the file
	Height     int
	Format     string // content type; "": sniffed from the file
}
