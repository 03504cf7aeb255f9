package demo

import (
	"fmt"
	"math/rand/v2"
)

// The demo city and its neighbours. Codes use the real formats with series
// no real area has (E08999…, E05999…, E01999…, E02999…; commissioners 99X–99Z;
// postcode area DP), so demo data cannot be mistaken for, or joined to, real
// data.
const (
	CityCode = "E08999001"
	CityName = "Demoport"
)

type district struct {
	code, name   string
	commissioner string
	// postcodeBase is the first postcode district number (DPn) used there.
	postcodeBase int
}

var districts = [zoneCount]district{
	zoneCity: {code: CityCode, name: CityName, commissioner: "99X", postcodeBase: 1},
	zoneWest: {code: "E08999002", name: "Hartwell", commissioner: "99Y", postcodeBase: 20},
	zoneEast: {code: "E08999003", name: "Ashbridge", commissioner: "99Z", postcodeBase: 30},
}

// centralWardName names the ward nearest the city centre.
const centralWardName = "Demoport Central"

// wardNames are invented, English-sounding place names; none is a ward of
// Manchester. The generator draws the other 31 names from this list.
var wardNames = []string{
	"Ashcombe", "Birchcliffe", "Blackmoss", "Bramwell Park", "Calder Vale",
	"Castlegate", "Coldharbour", "Cotterhill", "Dunmere", "Elmstead Green",
	"Fernleigh", "Foxholme", "Gallowmoor", "Greycroft", "Hallam Bridge",
	"Harrowdene", "Hollinbrook", "Ivyholme", "Kingsmoor", "Larkfield Rise",
	"Lowther Park", "Marlcroft", "Millbeck", "Netherholme", "Oakendale",
	"Pendle Brook", "Quarrington", "Redcastle", "Rookwood", "Saltersford",
	"Sandholme", "Stonemere", "Thornleigh", "Upper Wexley", "Wardle Moss",
	"Whitecross", "Willowbank", "Windle Hey", "Wrenfield", "Yewtree Heath",
}

// surnames name practices after their senior partner.
var surnames = []string{
	"Ahmed", "Bailey", "Chaudhry", "Dawson", "Ellison", "Fletcher", "Gupta",
	"Hargreaves", "Iqbal", "Jennings", "Kaur", "Lomax", "Mensah", "Nolan",
	"Okafor", "Patel", "Quinn", "Rashid", "Shaw", "Thornton", "Umeh",
	"Varley", "Whitworth", "Yusuf",
}

var practicePatterns = []string{
	"%s Medical Centre", "%s Surgery", "%s Health Centre", "%s Family Practice",
	"The %s Practice", "%s Group Practice", "%s Road Surgery", "%s Primary Care Centre",
}

// practiceName returns an unused name for a practice in place.
func practiceName(rng *rand.Rand, place string, used map[string]bool) string {
	if rng.IntN(7) == 0 {
		for range len(surnames) {
			name := fmt.Sprintf("Dr %s & Partners", surnames[rng.IntN(len(surnames))])
			if !used[name] {
				used[name] = true
				return name
			}
		}
	}
	start := rng.IntN(len(practicePatterns))
	for k := range practicePatterns {
		name := fmt.Sprintf(practicePatterns[(start+k)%len(practicePatterns)], place)
		if !used[name] {
			used[name] = true
			return name
		}
	}
	for n := 2; ; n++ {
		name := fmt.Sprintf("%s Medical Centre %d", place, n)
		if !used[name] {
			used[name] = true
			return name
		}
	}
}

// postcodeLetters are the letters a postcode's inward code may end with.
const postcodeLetters = "ABDEFGHJLNPQRSTUWXYZ"

func postcode(rng *rand.Rand, districtNumber int) string {
	return fmt.Sprintf("DP%d %d%c%c", districtNumber, rng.IntN(10),
		postcodeLetters[rng.IntN(len(postcodeLetters))], postcodeLetters[rng.IntN(len(postcodeLetters))])
}
