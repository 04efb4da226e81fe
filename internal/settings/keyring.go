package settings

import "github.com/zalando/go-keyring"

// Keyring keeps the token in the system keyring (Secret Service, Keychain,
// Credential Manager).
type Keyring struct{ Service, User string }

// NewKeyring is the keyring entry Backdrop uses.
func NewKeyring() Keyring { return Keyring{Service: "app.backdrop.desktop", User: "api-token"} }

func (k Keyring) Get() (string, error) {
	t, err := keyring.Get(k.Service, k.User)
	if err == keyring.ErrNotFound {
		return "", nil
	}
	return t, err
}

func (k Keyring) Set(token string) error {
	if token == "" {
		err := keyring.Delete(k.Service, k.User)
		if err == keyring.ErrNotFound {
			return nil
		}
		return err
	}
	return keyring.Set(k.Service, k.User, token)
}
