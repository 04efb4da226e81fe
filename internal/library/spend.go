package library

import (
	"context"
	"time"
)

// Spend counts images billed by the service: variants that arrived, of
// runs sent to the service (the offline engine costs nothing), by the local
// day and month their create was sent.
type Spend struct {
	Today int
	Month int
}

// Spend returns the images billed today and this month.
func (s *Store) Spend(ctx context.Context) (Spend, error) {
	now := s.now()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	var sp Spend
	err := s.r.QueryRowContext(ctx, `SELECT
			coalesce(sum(CASE WHEN r.sent_ms >= ? THEN 1 ELSE 0 END), 0),
			count(*)
		FROM runs r JOIN variants v ON v.run_id = r.id
		WHERE r.backend <> 'offline engine' AND r.sent_ms >= ?`, day.UnixMilli(), month.UnixMilli()).
		Scan(&sp.Today, &sp.Month)
	return sp, err
}

// CheckCap returns a *CapError when a create of want images would take
// today's total past cap images (cap ≤ 0: no cap). Today's total counts
// the images billed today and those of creates still under way at the
// service, so a full queue cannot slip past the cap before its images
// arrive. Offline runs are free and never capped: call it for the service.
func (s *Store) CheckCap(ctx context.Context, cap, want int) error {
	if cap <= 0 {
		return nil
	}
	now := s.now()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	var arrived, pending int
	err := s.r.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM runs r JOIN variants v ON v.run_id = r.id
				WHERE r.backend <> 'offline engine' AND r.sent_ms >= ?1),
			(SELECT coalesce(sum(max(r.variants - (SELECT count(*) FROM variants v WHERE v.run_id = r.id), 0)), 0)
				FROM runs r WHERE r.state IN ('sending', 'created') AND +r.backend <> 'offline engine')`, // "+": find them by state, not among every service run
		day.UnixMilli()).Scan(&arrived, &pending)
	if err != nil {
		return err
	}
	if used := arrived + pending; used+want > cap {
		return &CapError{Cap: cap, Used: used, Want: want}
	}
	return nil
}
