package library

import (
	"context"
	"errors"
	"image/color"
	"testing"
	"time"
)

func TestSpendCountsBilledImagesByLocalDayAndMonth(t *testing.T) {
	ctx := context.Background()
	zone := time.FixedZone("UTC-5", -5*3600)
	clk := newClock(time.Time{})
	s := openStore(t, t.TempDir(), WithClock(clk.now))
	img := tinyPNG(color.Black)
	run := func(at time.Time, backend string, variants, arrived int, end State) ID {
		clk.set(at)
		id, err := s.Added(ctx, NewRun{Prompt: "p", Variants: variants, Backend: backend})
		if err != nil {
			t.Fatal(err)
		}
		s.Sending(ctx, id)
		s.Created(ctx, id, "T")
		for n := 1; n <= arrived; n++ {
			if err := s.VariantSaved(ctx, id, SavedVariant{N: n, Data: img}); err != nil {
				t.Fatal(err)
			}
		}
		if end != "" {
			s.Ended(ctx, id, end, "")
		}
		return id
	}
	now := time.Date(2026, 7, 15, 10, 0, 0, 0, zone)
	run(now.Add(-2*time.Hour), "api.example.com", 2, 2, StateDone)        // today
	run(now.Add(-1*time.Hour), "api.example.com", 4, 3, StateFailed)      // today, one image lost: 3 billed images kept
	run(now.Add(-1*time.Hour), OfflineBackend, 4, 4, StateDone)           // free
	run(time.Date(2026, 7, 14, 23, 30, 0, 0, zone), "h", 2, 2, StateDone) // yesterday here, today in UTC
	run(time.Date(2026, 7, 1, 0, 5, 0, 0, zone), "h", 1, 1, StateDone)    // this month
	run(time.Date(2026, 6, 30, 23, 55, 0, 0, zone), "h", 4, 4, StateDone) // last month here, this month in UTC
	run(time.Date(2025, 7, 15, 9, 0, 0, 0, zone), "h", 3, 3, StateDone)   // a year ago today
	pending := run(now.Add(-time.Minute), "api.example.com", 4, 1, "")    // under way: 1 arrived, 3 to come
	clk.set(now)

	sp, err := s.Spend(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sp.Today != 2+3+1 || sp.Month != 2+3+2+1+1 {
		t.Fatalf("spend %+v, want today 6, month 9", sp)
	}

	// The cap counts what arrived today (6) and what is still coming (3).
	if err := s.CheckCap(ctx, 0, 100); err != nil {
		t.Fatalf("no cap: %v", err)
	}
	if err := s.CheckCap(ctx, 13, 4); err != nil {
		t.Fatalf("9 + 4 within a cap of 13: %v", err)
	}
	var ce *CapError
	if err := s.CheckCap(ctx, 12, 4); !errors.As(err, &ce) || ce.Used != 9 || ce.Cap != 12 || ce.Want != 4 {
		t.Fatalf("9 + 4 past a cap of 12: %v", err)
	}
	// Once the pending run has ended, only its arrived image counts.
	s.Ended(ctx, pending, StateCancelled, "")
	if err := s.CheckCap(ctx, 10, 4); err != nil {
		t.Fatalf("6 + 4 within 10: %v", err)
	}
	// A new day starts from nothing.
	clk.set(time.Date(2026, 7, 16, 0, 0, 1, 0, zone))
	if sp, _ := s.Spend(ctx); sp.Today != 0 || sp.Month != 9 {
		t.Fatalf("next day: %+v", sp)
	}
}
