#!/usr/bin/env python3
"""Derives the OpenFlights subset that Tarifa ships (shared/src/main/resources/openflights).

Usage: python3 tools/openflights_subset.py <openflights data dir> shared/src/main/resources/openflights

Keeps routes between airports with IATA codes operated by airlines with IATA codes, and the airports and
airlines those routes use. Contains data from OpenFlights (openflights.org), ODbL.
"""
import csv, gzip, io, sys, os

src, dst = sys.argv[1], sys.argv[2]
N = '\\N'
airports = {}
for r in csv.reader(open(os.path.join(src, 'airports.dat'), encoding='utf-8')):
    if r[4] != N and len(r[4]) == 3 and r[4].isalpha():
        airports[r[4]] = r
airlines_by_id = {}
for r in csv.reader(open(os.path.join(src, 'airlines.dat'), encoding='utf-8')):
    if r[3] not in (N, '-', '') and len(r[3]) == 2:
        airlines_by_id[r[0]] = r
countries = {r[0]: r[1] for r in csv.reader(open(os.path.join(src, 'countries.dat'), encoding='utf-8'))}

routes = set()
used_airlines = {}
for r in csv.reader(open(os.path.join(src, 'routes.dat'), encoding='utf-8')):
    code, aid, s, d, stops = r[0], r[1], r[2], r[4], r[7]
    if aid not in airlines_by_id or airlines_by_id[aid][3] != code:
        # resolve by code when the id is missing: prefer an active airline with that code
        cands = [a for a in airlines_by_id.values() if a[3] == code]
        if not cands:
            continue
        cands.sort(key=lambda a: (a[7] != 'Y', int(a[0])))
        aid = cands[0][0]
    if s in airports and d in airports and s != d and stops == '0':
        routes.add((code, s, d))
        used_airlines.setdefault(code, aid)

used_airports = sorted({s for _, s, _ in routes} | {d for _, _, d in routes})

def write(name, header, rows):
    with gzip.open(os.path.join(dst, name), 'wt', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(header)
        w.writerows(rows)

def fnum(x, default='0'):
    return default if x == N or x == '' else x

write('airports.csv.gz', ['iata', 'name', 'city', 'country', 'country_code', 'latitude', 'longitude', 'utc_offset_hours', 'tz'],
      [[a, airports[a][1], airports[a][2], airports[a][3], countries.get(airports[a][3], ''),
        airports[a][6], airports[a][7], fnum(airports[a][9]), '' if airports[a][11] == N else airports[a][11]] for a in used_airports])
write('airlines.csv.gz', ['iata', 'name', 'country'],
      [[c, airlines_by_id[aid][1], '' if airlines_by_id[aid][6] == N else airlines_by_id[aid][6]] for c, aid in sorted(used_airlines.items())])
write('routes.csv.gz', ['airline', 'from', 'to'], sorted(routes))
print(len(used_airports), 'airports,', len(used_airlines), 'airlines,', len(routes), 'routes')
