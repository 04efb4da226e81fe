package contract

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// authorized checks "Authorization: Bearer <token>" against WithToken.
func (s *Server) authorized(r *http.Request) bool {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return false
	}
	if s.cfg.token == "" {
		return true
	}
	return subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.token)) == 1
}

// writeUnauthorized answers a bad or missing token.
func (s *Server) writeUnauthorized(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
	s.writeError(w, http.StatusUnauthorized, "invalid api key: check the Authorization: Bearer token")
}
