// Package faultmatrix holds the fault matrix: a table-driven test that
// runs the client the app really uses (the app's backend: api.Client made
// by app.NewClient, through job.Run) against
// internal/faultserver for every fault class the service can throw, and
// checks the client's promises in each case — it ends within its bound,
// every image the server delivered reaches the caller, no task is created
// twice, and no output or error holds the token or any 8+ character part
// of it. It prints how many faults it injected and what held
// (go test -v ./internal/faultmatrix). The package has no code besides
// this file and its tests.
package faultmatrix
