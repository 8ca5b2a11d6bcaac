#!/usr/bin/env python3
"""Groups a JFR recording's execution samples by what a search miss spends them on.

  jfr print --events jdk.ExecutionSample --stack-depth 80 rec.jfr | python3 tools/jfr-miss-categories.py

Each sample is charged to its innermost dev.tarifa frame (the library code it called included, e.g. Jackson
under Responses.json), then grouped; samples without an application frame are socket I/O and the event loop.
Prints a Markdown table: group, share of samples, samples (docs/PERFORMANCE.md, "Miss path, second pass").
"""
import sys, re, collections
groups=[('flights: JSON (tree + Jackson encode, or streamed)',['FlightAnswerJson','JsonBuffers','Responses.json','toJson','withRatings','SearchPage.envelope','OfferComparison.writeTo','SearchAnswer.writeTo']),
('flights: search (read model, pricing, ranking, tags)',['dev.tarifa.flights']),
('gateway: gzip at fill',['Gzip.']),('gateway: ETag (SHA-256 of body)',['strongEtag']),('gateway: L1 put + tag index',['L1Cache']),('gateway: L2 fill/acquire (Redis)',['L2Cache','FillNotifications']),
('gateway: entry (policy, stored form)',['CachePolicy','CachedResponse']),('gateway: answer write',['CachedAnswers']),('gateway: origin call (HTTP client)',['SearchOrigin','dev.tarifa.gateway.upstream']),
('gateway: quote cache, key',['QuoteCache','CacheKey']),('gateway: edge, router, params',['dev.tarifa.gateway','dev.tarifa.shared.http.Params']),('summary headers, cache tags',['dev.tarifa.shared.search']),
('metrics, request ids, tracing',['dev.tarifa.shared.metrics','dev.tarifa.shared.http','dev.tarifa.shared.tracing']),('background (reviews outbox, relays, probes)',['dev.tarifa.reviews','dev.tarifa.shared.events','UpstreamHealth']),('other dev.tarifa',['dev.tarifa'])]
stacks=[]; cur=None
for line in sys.stdin:
    s=line.strip()
    if s.startswith('jdk.ExecutionSample'): cur=[]
    elif s == ']':
        if cur is not None: stacks.append(cur); cur=None
    elif cur is not None and 'line:' in s: cur.append(s)
c=collections.Counter()
for st in stacks:
    f=next((x for x in st if 'dev.tarifa' in x), None)
    if f is None:
        cat='no app frame: '+('HTTP/Redis/PG socket I/O, event loop (netty, vert.x)' if any('io.netty' in x or 'io.vertx' in x for x in st) else 'other (JDK, mongo server)')
    else:
        cat=next((n for n,pats in groups if any(p in f for p in pats)),'?')
        if 'UpstreamHealth' in f: cat='background (reviews outbox, relays, probes)'
    c[cat]+=1
tot=len(stacks); print("samples",tot)
for k,v in c.most_common(): print(f"| {k} | {100*v/tot:.1f} % | {v} |")
