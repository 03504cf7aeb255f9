// Package gravity estimates flows between small areas and the services their
// residents use (for placeteam: LSOAs and the GP practices their residents are
// registered with) when only coarser counts are known: for each destination,
// the number of its users living in each group of origins (each district).
// Estimate spreads those counts over the small areas with a gravity model;
// Calibrate fits the model's distance decay to the same counts by maximum
// likelihood. Nothing is tuned toward a target figure: the only free parameter
// is the decay, and it is estimated from the observed counts alone.
//
// # Notation
//
//	i       origin (small area), in exactly one group D(i)
//	j       destination
//	w_i     origin weight (resident population), w_i ≥ 0
//	N_jD    observed number of destination j's users living in group D
//	W_D     Σ_{i∈D} w_i
//	N_D     Σ_j N_jD
//	d_ij    great-circle distance in km between the points of i and j:
//	        geo.DistanceHaversine / 1000 from github.com/paulmach/orb (a sphere
//	        of radius orb.EarthRadius), computed once per call in float64
//	β       distance decay per km, β ≥ 0
//	f_ij    exp(−β d_ij), the deterrence
//
// # Origin totals
//
// The users living in group D are shared among its origins in proportion to
// weight, which assumes one registration rate throughout a district:
//
//	O_i = w_i · N_D / W_D
//
// # Estimate: doubly constrained within each group
//
// The flow from origin i of group D to destination j is
//
//	T_ij = a_i · b_j · f_ij    for j with N_jD > 0,
//	T_ij = 0                   otherwise (including every j for an origin of
//	                           another group: a user's district is known),
//
// with the row and column factors a_i, b_j (one set per group) chosen so that
//
//	Σ_j T_ij = O_i            for every origin i of D with w_i > 0,
//	Σ_{i∈D} T_ij = N_jD       for every destination j.
//
// Both sets of targets add up to N_D and every f_ij is positive, so the
// solution exists and is unique; it is the table closest to the seed f
// (minimum Kullback–Leibler divergence) that meets the targets, i.e. the
// entropy-maximising doubly constrained gravity model. It is found by
// iterative proportional fitting (Sinkhorn scaling): a_i ← O_i / Σ_j f_ij b_j,
// then b_j ← N_jD / Σ_i a_i f_ij, repeated, with Anderson acceleration of the
// log column factors (which changes the path, not the fixed point). Iteration
// stops when every row sum is exact and every column sum is within
// Options.Tolerance (relative) of its target; Flows.MaxRelativeError reports
// the largest relative error measured on the returned cells.
//
// Destinations with Located=false have no distance: their seed is f_ij = 1 for
// every origin. Because the column factor absorbs any constant, such a
// destination's users in D are spread over D's origins in proportion to the row
// factors a_i — as if equally reachable from every small area of D, adjusted
// for the competition the other destinations exert there.
//
// Totals whose group has no origins (users living in districts the dataset has
// no small areas for) and totals whose group's origins all have zero weight
// (no population to share them by) are not spread: Estimate returns them in
// Flows.Unallocated. They are real users; Σ cells + Σ unallocated = Σ N_jD.
//
// Numerically, each seed is computed relative to its column's nearest origin,
// exp(−β (d_ij − min_k d_kj)), which the column factor absorbs exactly, and its
// exponent is bounded below by −700 so that no seed underflows to zero. The
// bound only matters when β × (spread of distances) exceeds 700; if the
// factors still leave the float64 range, Estimate fails with ErrOutOfRange.
//
// # Calibrate: maximum likelihood on the decay
//
// The likelihood uses an origin-constrained model with balanced attractiveness
// over all groups at once: every origin i (of any group with origins and
// positive weight) sends O_i users, as above, to the located destinations,
//
//	p_ij = A_j f_ij / Σ_k A_k f_ik
//
// with the attractiveness A_j iterated (the same accelerated proportional
// fitting) until each destination receives its observed total,
//
//	Σ_i O_i p_ij = N_j,     N_j = Σ_D N_jD over groups with origins,
//
// to Options.Tolerance. Each destination's predicted users by group are
// N̂_jD = Σ_{i∈D} O_i p_ij, and the log-likelihood of the observed counts,
// each destination's users being multinomial over groups, is
//
//	LL(β) = Σ_{j,D} N_jD · log(N̂_jD / N̂_j),    N̂_j = Σ_D N̂_jD,
//
// where N̂_j = N_j once balanced; dividing by the model's own N̂_j keeps the
// shares summing to one when balancing stops within tolerance. The
// likelihood's seeds are taken relative to each origin's nearest destination,
// exp(−β (d_ij − min_k d_ik)), which leaves p_ij unchanged, with the same
// exponent bound. How often users
// cross group borders to reach a destination is what carries the information
// about β. Destinations with Located=false carry none and are left out of the
// likelihood altogether (of N_j, of the competition Σ_k, and of N_D when
// forming O_i). Groups without origins or with zero total weight are left out
// too.
//
// Calibrate evaluates LL on a grid evenly spaced in log β between MinDecay and
// MaxDecay (defaults 0.01 and 10 per km), reports that profile and whether it
// is unimodal, then runs golden-section search on log β between the
// neighbours of the best grid point until the bracket is narrower than
// CalibrateOptions.Tolerance. It returns the best decay evaluated. Each
// evaluation starts from the attractiveness of the previous one.
//
// The decay so found is the one to pass to Estimate. Both models share the
// deterrence f; Estimate additionally conditions on each user's known
// district, which the likelihood model must predict — that prediction is what
// makes the decay identifiable.
//
// The multinomial likelihood treats users as independent. Real registrations
// are clustered (households, care homes, practice mergers), so the curvature
// of LL overstates the precision of β: use the profile to judge its shape,
// not as a confidence interval.
//
// # Work
//
// Estimate touches only pairs inside each group (origins of D × destinations
// with N_jD > 0); Calibrate uses every origin × located destination pair. Both
// run groups concurrently on Options.Workers goroutines; every group's sums
// are formed in the same order whatever the number of workers, so results do
// not depend on it.
package gravity
