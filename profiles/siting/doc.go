// Package siting chooses hub sites (for placeteam, health and care centres
// for community-care teams) among candidate sites so as to serve weighted
// demand points well, and reports how well any set of hubs serves them. It
// knows nothing of LSOAs, practices or files: the caller builds the demand
// points (for example one per LSOA, weighted by population or need, with its
// team and IMD quintile) and the candidates (GP practices, hospital sites,
// user-supplied sites), and chooses the distances.
//
// # Models
//
// With d_i the distance from demand point i to its hub and w_i its weight:
//
//	PMedian      minimise Σ w_i d_i (the p-median cost)
//	MaxCoverage  minimise Σ_{d_i > R} w_i, the weight farther than
//	             R = Problem.Threshold (a point at exactly R is covered),
//	             ties broken by the p-median cost
//	PCentre      minimise max_{i: w_i > 0} d_i, ties broken by the p-median cost
//
// Objective values within a relative 1e-9 count as equal, so rounding never
// decides a tie. Solution.Objective is the model's figure and Solution.Cost
// the p-median cost.
//
// # Constraints
//
// City-wide, Problem.K hubs are chosen. With Problem.OnePerTeam the teams are
// the distinct Team values of the demand points; T + K hubs are chosen so that
// every team has at least one hub among its own candidates (exactly one when
// K = 0, and the K extras anywhere), and demand is served only by hubs of its
// own team or by hubs not tied to a team (Candidate.Team ""). Fixed
// candidates are always chosen. Problems that cannot be satisfied (K too
// small for the fixed sites, a team without candidates, ...) are rejected
// with ErrInvalidInput and a message saying what to change.
//
// Every demand point is assigned to its nearest allowed hub, ties to the lower
// candidate index. To assign spokes (every practice or other premises to its
// hub), call Evaluate with a Problem whose demand points are the premises.
//
// # Distances
//
// GreatCircle gives haversine kilometres on orb's sphere; TravelTimes reads
// a complete origin,destination,minutes matrix. Any other Distances works
// too; its values are checked (finite, non-negative) as they are read.
//
// # Algorithm
//
// Solve runs three stages, all deterministic for a given Options.Seed.
//
//  1. Greedy start. Fixed sites open first; then, one at a time, the
//     candidate that improves the objective most (the p-median objective for
//     PCentre) opens. With OnePerTeam, once the hubs left equal the teams
//     without one, only those teams' candidates are eligible.
//  2. Vertex substitution (Teitz and Bart 1968): cycle through the closed
//     candidates; for each, find the open hub whose replacement by it improves
//     the objective most, and make that swap if it improves; stop after a
//     full cycle without an improving swap. Fixed hubs are never swapped out,
//     and with OnePerTeam a team's only hub can only make way for another of
//     the team's candidates. The swap moves are evaluated with the fast
//     method of Whitaker (1983) in the form of Resende and Werneck (2007),
//     described below.
//  3. Shakes (basic variable neighbourhood search, Hansen and Mladenović
//     1997): Options.Shakes rounds of 1–3 random feasible swaps followed by
//     a new descent, keeping the result only if it is better. For PCentre the
//     swaps bring in candidates nearer to a demand point at the largest
//     distance, the only ones that can shorten it.
//
// # Fast swap evaluation
//
// For every demand point the search keeps its nearest hub (distance D_i) and
// second-nearest hub (S_i). All three models are handled as minimising a sum
// of per-point values v_i(d), compared lexicographically: (Σ w_i d_i) for
// p-median; (Σ w_i [d_i > R], Σ w_i d_i) for max-coverage; and for p-centre,
// with M the current largest distance, (#[d_i > M], #[d_i ≥ M], Σ w_i d_i)
// over points with w_i > 0, so a swap that leaves fewer points at the maximum
// counts as progress and M is recomputed when none are left. The change of
// the objective when candidate j replaces hub r is then
//
//	Δ(j, r) = loss(r) − gain(j) − extra(j, r)
//	loss(r)     = Σ_{i: nearest is r} v_i(S_i) − v_i(D_i)        kept per hub
//	gain(j)     = Σ_i v_i(D_i) − v_i(min(D_i, d_ij))
//	extra(j, r) = Σ_{i: nearest is r, d_ij < S_i} v_i(S_i) − v_i(max(d_ij, D_i))
//
// Only points with d_ij < S_i contribute to gain and extra, so evaluating all
// swaps that bring in j costs O(points near j) plus the few hubs they touch;
// the best untouched hub is the one of least loss, kept in order. A swap
// updates only the points whose nearest or second-nearest hub changes, and
// the losses of their hubs.
//
// # Nearest-candidate lists
//
// Each demand point keeps a list of candidates, nearest first: all allowed
// candidates, or the L nearest with Problem.NearestLists = L. The reverse
// lists (for each candidate, the points whose list holds it) are what the
// evaluation walks. As long as a point's two nearest hubs are in its list,
// every candidate outside it is at least as far as its second hub and cannot
// contribute, so the evaluation is exact. A point whose list holds fewer than
// two open hubs becomes a fallback point: its hubs are found by measuring
// every open hub, and it is measured directly against every candidate
// evaluated (with GreatCircle, a cheap chord bound skips most of them). So
// lists never change the objective reported — it is always computed from
// exact distances — only the path of the search; short lists make many
// fallback points and slow the search down. A rule of thumb is L ≥ 3·m/P.
//
// # Work and memory
//
// With n demand points, m candidates, P hubs and lists of length L (L = m
// without lists), E = n·L list entries and F fallback points:
//
//	lists       GreatCircle with L < m: O(m log² m + n·L log m) via a k-d tree;
//	            otherwise n·m Distance calls; on Options.Workers goroutines
//	greedy      O(E + P·m) plus O(L) per point improved by an opening
//	one sweep   O(E + m·F) to evaluate every swap (plain Teitz–Bart:
//	            O(n·P·(m−P)))
//	one swap    O(points whose two nearest hubs change · L + P + F·P)
//	memory      24·E bytes for the lists both ways (limited by
//	            Options.MaxListEntries), plus about 150 bytes per demand point
//	            and 100 per candidate
//
// Each shake costs one descent, at least one sweep. The Manchester-size
// instance (282 × 100, 12 teams) takes a few milliseconds (p-centre, with
// 128 shakes, about 30 ms); 33,000 × 6,500 with P = 1,000 and L = 50 about a
// second for p-median. See bench_test.go.
//
// BruteForce enumerates every feasible hub set, C(m−f, P−f)·n·P work for f
// fixed sites: for tests and small checks only (at most BruteForceLimit
// sets).
//
// # Reports
//
// Evaluate reports, for any hub set (chosen hubs, current sites, another
// scenario): coverage within thresholds (share of all weight at distance ≤
// the threshold), the weighted mean, weighted 95th percentile (the smallest
// d such that points at distance ≤ d carry at least 95% of the served
// weight) and largest distance, overall, per equity group and per team, and
// each hub's load. Compare sets two reports side by side.
package siting
