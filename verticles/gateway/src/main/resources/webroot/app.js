/*
 * Tarifa consumer page. No framework, no build step, no external resources. Every request is a same-origin
 * relative URL; every piece of data reaches the DOM through textContent / attributes, never innerHTML.
 */
(function () {
  'use strict';

  var API = '/api/v1';
  var PAGE_SIZE = 20;
  var DEBOUNCE_MS = 250;

  // ---------------------------------------------------------------------------------------------- utilities

  /** Creates an element with attributes (class, text, and plain attributes) and children. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) return;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = String(v);
        else node.setAttribute(k, v === true ? '' : String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function pad(n) {
    return n < 10 ? '0' + n : String(n);
  }

  /** yyyy-MM-dd of the local date {@code days} from today. */
  function isoDaysAhead(days) {
    var d = new Date();
    d.setDate(d.getDate() + days);
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  var formatters = {};
  var dateFormatter = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

  /** Money {amount: minor units, currency} formatted for the reader's locale. */
  function money(m) {
    if (!m || typeof m.amount !== 'number' || typeof m.currency !== 'string') return '–';
    var f = formatters[m.currency];
    if (!f) {
      try {
        f = new Intl.NumberFormat(undefined, { style: 'currency', currency: m.currency });
      } catch (e) {
        f = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' });
      }
      formatters[m.currency] = f;
    }
    var digits = f.resolvedOptions().maximumFractionDigits;
    return f.format(m.amount / Math.pow(10, digits));
  }

  /** "7 h 05 min" from minutes. */
  function duration(minutes) {
    if (typeof minutes !== 'number') return '';
    var h = Math.floor(minutes / 60), m = minutes % 60;
    return h > 0 ? h + ' h ' + pad(m) + ' min' : m + ' min';
  }

  /** Local "yyyy-MM-ddTHH:mm" kept as written (no time-zone conversion): {time: "HH:mm", date: "Tue, 1 Dec"}. */
  function localDateTime(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(s || '');
    if (!m) return { time: s || '', date: '' };
    var d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    return { time: m[4] + ':' + m[5], date: dateFormatter.format(d) };
  }

  function formatDate(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
    return m ? dateFormatter.format(new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : (s || '');
  }

  function plural(n, one, many) {
    return n + ' ' + (n === 1 ? one : many);
  }

  // ------------------------------------------------------------------------------------------------- tabs

  var tabs = Array.prototype.slice.call(document.querySelectorAll('[role="tab"]'));

  function selectTab(tab, focus) {
    tabs.forEach(function (t) {
      var selected = t === tab;
      t.setAttribute('aria-selected', selected ? 'true' : 'false');
      t.tabIndex = selected ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')).hidden = !selected;
    });
    if (focus) tab.focus();
    resetResults();
    if (history.replaceState) history.replaceState(null, '', '#' + tab.id.replace('tab-', ''));
  }

  tabs.forEach(function (tab, i) {
    tab.addEventListener('click', function () { selectTab(tab, false); });
    tab.addEventListener('keydown', function (e) {
      var next = null;
      if (e.key === 'ArrowRight') next = tabs[(i + 1) % tabs.length];
      else if (e.key === 'ArrowLeft') next = tabs[(i - 1 + tabs.length) % tabs.length];
      else if (e.key === 'Home') next = tabs[0];
      else if (e.key === 'End') next = tabs[tabs.length - 1];
      if (next) {
        e.preventDefault();
        selectTab(next, true);
      }
    });
  });

  // ------------------------------------------------------------------------------------------ date defaults

  Array.prototype.forEach.call(document.querySelectorAll('input.date-offset'), function (input) {
    input.value = isoDaysAhead(Number(input.getAttribute('data-offset-days')) || 14);
    input.min = isoDaysAhead(0);
    input.max = isoDaysAhead(365);
  });

  // ------------------------------------------------------------------------------------ airport autocomplete

  /** The last suggestions per input, to resolve a picked "city" text to its IATA code. */
  var suggestions = new WeakMap();

  function airportLabel(a) {
    var place = [a.city, a.country].filter(Boolean).join(', ');
    return a.iata + ' · ' + (a.name || '') + (place ? ' (' + place + ')' : '');
  }

  Array.prototype.forEach.call(document.querySelectorAll('input.airport'), function (input) {
    var list = document.getElementById(input.getAttribute('list'));
    var controller = null;
    var lookup = debounce(function () {
      var q = input.value.trim();
      if (q.length < 2 || q.length > 50 || /^[A-Za-z]{3}$/.test(q) && suggestionFor(input, q)) return;
      if (controller) controller.abort();
      controller = typeof AbortController === 'function' ? new AbortController() : null;
      fetch(API + '/airports?q=' + encodeURIComponent(q), {
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
        signal: controller ? controller.signal : undefined
      }).then(function (res) {
        return res.ok ? res.json() : null;
      }).then(function (body) {
        if (!body || !Array.isArray(body.results)) return;
        suggestions.set(input, body.results);
        clear(list);
        body.results.forEach(function (a) {
          list.appendChild(el('option', { value: a.iata, label: airportLabel(a) }));
        });
      }).catch(function () { /* aborted or offline: keep the old suggestions */ });
    }, DEBOUNCE_MS);
    input.addEventListener('input', function () {
      input.setCustomValidity('');
      lookup();
    });
  });

  function suggestionFor(input, code) {
    var list = suggestions.get(input) || [];
    for (var i = 0; i < list.length; i++) if (list[i].iata === code.toUpperCase()) return list[i];
    return null;
  }

  /** The IATA code for what the user typed or picked, or null (the field's validity message is set then). */
  function airportCode(input, required) {
    var v = input.value.trim();
    if (!v) {
      if (required) input.setCustomValidity('Choose an airport.');
      return null;
    }
    if (/^[A-Za-z]{3}$/.test(v)) return v.toUpperCase();
    var lead = /^([A-Za-z]{3})\s*[·\-(]/.exec(v);
    if (lead) return lead[1].toUpperCase();
    var lower = v.toLowerCase();
    var matches = (suggestions.get(input) || []).filter(function (a) {
      return (a.city || '').toLowerCase() === lower || (a.name || '').toLowerCase() === lower;
    });
    if (matches.length >= 1) return matches[0].iata;
    input.setCustomValidity('Pick an airport from the suggestions or type its three-letter code.');
    return null;
  }

  // ---------------------------------------------------------------------------------------------- results

  var status = document.getElementById('status');
  var errorBox = document.getElementById('error');
  var degradedBox = document.getElementById('degraded');
  var resultList = document.getElementById('result-list');
  var cacheInfo = document.getElementById('cache-info');
  var pager = document.getElementById('pager');
  var pageInfo = document.getElementById('page-info');
  var prevPage = document.getElementById('prev-page');
  var nextPage = document.getElementById('next-page');
  var resultsSection = document.getElementById('results');

  var current = null; // {kind, params, offset}
  var inFlight = null;

  function resetResults() {
    if (inFlight) inFlight.abort();
    inFlight = null;
    current = null;
    status.textContent = '';
    errorBox.hidden = true;
    clear(errorBox);
    degradedBox.hidden = true;
    degradedBox.textContent = '';
    clear(resultList);
    cacheInfo.textContent = '';
    pager.hidden = true;
  }

  function showError(title, detail, extra) {
    clear(errorBox);
    errorBox.appendChild(el('strong', { text: title }));
    if (detail) errorBox.appendChild(el('p', { text: detail }));
    if (extra) errorBox.appendChild(el('p', { class: 'small', text: extra }));
    errorBox.hidden = false;
  }

  function showDegraded(message) {
    degradedBox.textContent = message;
    degradedBox.hidden = false;
  }

  function showCache(res) {
    var parts = [];
    var xc = res.headers.get('X-Cache');
    if (xc) parts.push('X-Cache: ' + xc);
    var age = res.headers.get('Age');
    if (age) parts.push('Age: ' + age + ' s');
    var rid = res.headers.get('X-Request-Id');
    if (rid) parts.push('Request: ' + rid);
    cacheInfo.textContent = parts.join(' · ');
  }

  /** Reads a failed response: problem details (RFC 9457) when the server sent them. */
  function handleFailure(res) {
    var type = res.headers.get('Content-Type') || '';
    var retry = res.headers.get('Retry-After');
    var read = /json/.test(type) ? res.json().catch(function () { return null; }) : Promise.resolve(null);
    return read.then(function (p) {
      p = p || {};
      var title, detail;
      if (res.status === 400) {
        title = 'Please check your search';
        detail = p.parameter ? 'The field “' + fieldLabel(p.parameter) + '” ' + (problemText(p) || 'is not valid') + '.'
          : (p.detail || 'Some of the search fields are not valid.');
      } else if (res.status === 429) {
        title = 'Too many searches';
        detail = 'You have searched a lot in a short time. Please wait ' +
          (retry ? plural(Number(retry), 'second', 'seconds') : 'a few seconds') + ', then search again.';
      } else if (res.status === 503) {
        title = 'Prices are not available right now';
        detail = 'Our price providers are not answering at the moment. Nothing is wrong with your search: ' +
          'please try again in a minute.';
      } else if (res.status >= 500) {
        title = 'Something went wrong on our side';
        detail = 'The search could not be completed. Please try again shortly.';
      } else {
        title = p.title || ('The search could not be completed (' + res.status + ')');
        detail = p.detail || '';
      }
      showError(title, detail, p.requestId ? 'Reference: ' + p.requestId : null);
      status.textContent = title + '.';
      if (res.status === 400 && p.parameter) markInvalid(p.parameter, problemText(p) || 'is not valid');
    });
  }

  /** The problem's detail without the parameter name it starts with ("return: must be after depart"). */
  function problemText(p) {
    var d = p.detail || '';
    if (p.parameter && d.indexOf(p.parameter + ':') === 0) d = d.slice(p.parameter.length + 1).trim();
    return d;
  }

  var PARAM_FIELDS = {
    flights: { from: 'flights-from', to: 'flights-to', date: 'flights-date', adults: 'flights-adults',
      cabin: 'flights-cabin', maxStops: 'flights-stops', sort: 'flights-sort' },
    hotels: { near: 'hotels-near', city: 'hotels-city', checkIn: 'hotels-checkin', checkOut: 'hotels-checkout',
      guests: 'hotels-guests', rooms: 'hotels-rooms', minStars: 'hotels-stars', sort: 'hotels-sort' },
    cars: { location: 'cars-location', pickUp: 'cars-pickup-date', dropOff: 'cars-dropoff-date', carClass: 'cars-class',
      sort: 'cars-sort' },
    trips: { from: 'trips-from', to: 'trips-to', depart: 'trips-depart', 'return': 'trips-return', nights: 'trips-nights',
      adults: 'trips-adults', rooms: 'trips-rooms' }
  };

  function fieldFor(parameter) {
    var id = current && (PARAM_FIELDS[current.kind] || {})[parameter];
    return id ? document.getElementById(id) : null;
  }

  function fieldLabel(parameter) {
    var field = fieldFor(parameter);
    var label = field && document.querySelector('label[for="' + field.id + '"]');
    return label ? label.textContent.trim() : parameter;
  }

  /** Shows the problem next to the field its parameter names, linked to it, and moves the focus there. */
  function markInvalid(parameter, message) {
    var field = fieldFor(parameter);
    if (!field) return;
    var errorId = field.id + '-error';
    var note = document.getElementById(errorId);
    if (!note) {
      note = el('p', { id: errorId, class: 'field-error' });
      field.parentNode.appendChild(note);
    }
    note.textContent = fieldLabel(parameter) + ': ' + message;
    note.hidden = false;
    var described = (field.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    if (described.indexOf(errorId) < 0) described.unshift(errorId);
    field.setAttribute('aria-describedby', described.join(' '));
    field.setAttribute('aria-invalid', 'true');
    field.addEventListener('input', function once() {
      clearInvalid(field);
      field.removeEventListener('input', once);
    });
    field.focus();
  }

  function clearInvalid(field) {
    field.removeAttribute('aria-invalid');
    var note = document.getElementById(field.id + '-error');
    if (note) note.hidden = true;
  }

  function clearAllInvalid() {
    Array.prototype.forEach.call(document.querySelectorAll('[aria-invalid="true"]'), clearInvalid);
  }

  function run(kind, params, offset) {
    if (inFlight) inFlight.abort();
    inFlight = typeof AbortController === 'function' ? new AbortController() : null;
    current = { kind: kind, params: params, offset: offset || 0 };
    var query = new URLSearchParams(params);
    if (kind !== 'trips') {
      query.set('limit', String(PAGE_SIZE));
      query.set('offset', String(current.offset));
    }
    errorBox.hidden = true;
    degradedBox.hidden = true;
    cacheInfo.textContent = '';
    clearAllInvalid();
    status.textContent = 'Searching…';
    resultList.setAttribute('aria-busy', 'true');
    var mine = inFlight;
    fetch(API + '/' + kind + '/search?' + query.toString(), {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
      signal: mine ? mine.signal : undefined
    }).then(function (res) {
      if (mine !== inFlight) return null;
      showCache(res);
      if (!res.ok) {
        clear(resultList);
        pager.hidden = true;
        return handleFailure(res);
      }
      var headerDegraded = res.headers.get('X-Degraded') === 'true';
      var stale = res.headers.get('X-Cache') === 'STALE';
      return res.json().then(function (body) {
        if (mine !== inFlight) return;
        render(kind, body, headerDegraded, stale);
      });
    }).catch(function (e) {
      if (e && e.name === 'AbortError') return;
      showError('Network error', 'The search could not be sent. Check your connection and try again.');
      status.textContent = 'Search failed.';
    }).then(function () {
      if (mine === inFlight) {
        resultList.removeAttribute('aria-busy');
        inFlight = null;
      }
    });
  }

  function render(kind, body, headerDegraded, stale) {
    clear(resultList);
    var degraded = headerDegraded || body.degraded === true;
    if (kind === 'trips') {
      if (degraded) {
        var failed = Array.isArray(body.failedLegs) ? body.failedLegs.map(legName) : [];
        showDegraded(failed.length
          ? 'Part of this trip could not be searched just now: ' + failed.join(', ') + '. The bundles below leave it out.'
          : 'Some of these prices are saved prices from earlier, because a provider could not be reached just now. ' +
            'They may have changed.');
      }
      return renderTrips(body);
    }
    if (degraded) {
      showDegraded('Out-of-date prices: our providers could not be reached just now, so these are the prices we saved ' +
        'earlier. They may have changed.');
    } else if (stale) {
      showDegraded('Saved prices from a moment ago: they are being refreshed.');
    }
    var results = Array.isArray(body.results) ? body.results : [];
    var total = typeof body.total === 'number' ? body.total : results.length;
    var offset = typeof body.offset === 'number' ? body.offset : current.offset;
    var renderer = { flights: flightCard, hotels: hotelCard, cars: carCard }[kind];
    results.forEach(function (r) { resultList.appendChild(renderer(r)); });
    var answered = body.providers && Array.isArray(body.providers.answered) ? body.providers.answered.length : 0;
    if (results.length === 0) {
      status.textContent = 'No offers found for this search.';
      resultList.appendChild(el('p', { class: 'empty', text: 'Nothing found: no provider offers anything for this ' +
        'search. Try other dates, places or filters.' }));
    } else {
      status.textContent = plural(total, 'result', 'results') + ' from ' + plural(answered, 'provider', 'providers') +
        '; showing ' + (offset + 1) + '–' + (offset + results.length) + '.';
    }
    pager.hidden = total <= PAGE_SIZE;
    prevPage.disabled = offset <= 0;
    nextPage.disabled = offset + results.length >= total;
    pageInfo.textContent = 'Page ' + (Math.floor(offset / PAGE_SIZE) + 1) + ' of ' + Math.max(1, Math.ceil(total / PAGE_SIZE));
  }

  prevPage.addEventListener('click', function () {
    if (current) run(current.kind, current.params, Math.max(0, current.offset - PAGE_SIZE));
    resultsSection.focus();
  });
  nextPage.addEventListener('click', function () {
    if (current) run(current.kind, current.params, current.offset + PAGE_SIZE);
    resultsSection.focus();
  });

  // ---------------------------------------------------------------------------------------------- cards

  /** The offers of a product, sorted by price, the cheapest highlighted, and the spread. */
  function offersBlock(product) {
    var offers = Array.isArray(product.offers) ? product.offers.slice() : [];
    offers.sort(function (a, b) {
      var d = (a.price && a.price.amount) - (b.price && b.price.amount);
      return d !== 0 ? d : String(a.provider && a.provider.code).localeCompare(String(b.provider && b.provider.code));
    });
    var cheapestAmount = product.cheapest && product.cheapest.price ? product.cheapest.price.amount
      : offers.length ? offers[0].price.amount : null;
    var list = el('ol', { class: 'offers', 'aria-label': 'Offers by price' });
    offers.forEach(function (o) {
      var isCheapest = o.price && o.price.amount === cheapestAmount;
      list.appendChild(el('li', { class: isCheapest ? 'offer cheapest' : 'offer', 'data-amount': o.price && o.price.amount }, [
        el('span', { class: 'provider', text: o.provider ? o.provider.name || o.provider.code : '' }),
        isCheapest ? el('span', { class: 'badge', text: 'Cheapest' }) : null,
        el('span', { class: 'price', text: money(o.price) })
      ]));
    });
    var spread = product.spread && product.spread.amount > 0
      ? el('p', { class: 'spread', text: 'Save up to ' + money(product.spread) + ' by choosing the cheapest of ' +
          plural(offers.length, 'offer', 'offers') + '.' })
      : el('p', { class: 'spread', text: offers.length > 1 ? 'All providers charge the same.' : 'One provider.' });
    return el('div', { class: 'offers-block' }, [list, spread]);
  }

  function headline(title, subtitle, price) {
    return el('div', { class: 'card-head' }, [
      el('div', null, [el('h3', { text: title }), subtitle ? el('p', { class: 'subtitle', text: subtitle }) : null]),
      price ? el('p', { class: 'from-price' }, [el('span', { class: 'from', text: 'from ' }), money(price)]) : null
    ]);
  }

  function flightSummary(f) {
    var legs = Array.isArray(f.legs) ? f.legs : [];
    var first = legs[0] || {}, last = legs[legs.length - 1] || {};
    var dep = localDateTime(f.departure), arr = localDateTime(f.arrival);
    var stops = f.stops === 0 ? 'Nonstop' : plural(f.stops, 'stop', 'stops') +
      (legs.length > 1 && legs[0].to ? ' via ' + legs[0].to.iata : '');
    var title = (first.from ? first.from.iata : '') + ' ' + dep.time + ' → ' + (last.to ? last.to.iata : '') + ' ' + arr.time +
      (arr.date && arr.date !== dep.date ? ' (' + arr.date + ')' : '');
    var facts = el('ul', { class: 'facts' }, [
      el('li', { text: dep.date }),
      el('li', { text: stops }),
      el('li', { text: duration(f.durationMinutes) }),
      typeof f.layoverMinutes === 'number' ? el('li', { text: 'Layover ' + duration(f.layoverMinutes) }) : null
    ]);
    var legList = el('ol', { class: 'legs', 'aria-label': 'Flights' });
    legs.forEach(function (l) {
      var d = localDateTime(l.departure), a = localDateTime(l.arrival);
      legList.appendChild(el('li', {
        text: l.flight + ' · ' + (l.airline ? l.airline.name : '') + ' · ' + (l.from ? l.from.iata : '') + ' ' + d.time +
          ' → ' + (l.to ? l.to.iata : '') + ' ' + a.time + ' · ' + duration(l.durationMinutes)
      }));
    });
    return { title: title, facts: facts, legs: legList };
  }

  function flightCard(f) {
    var s = flightSummary(f);
    return el('article', { class: 'card', 'data-product': f.id, 'data-cheapest': amountOf(f) }, [
      headline(s.title, null, f.cheapest && f.cheapest.price),
      s.facts, s.legs, offersBlock(f)
    ]);
  }

  /** The cheapest offer's amount (minor units), for the page's tests to compare with the API. */
  function amountOf(product) {
    return product.cheapest && product.cheapest.price ? product.cheapest.price.amount : null;
  }

  function stars(n) {
    return n ? n + '★' : '';
  }

  function hotelCard(h) {
    var hotel = h.hotel || {}, room = h.room || {};
    return el('article', { class: 'card', 'data-product': h.id, 'data-cheapest': amountOf(h) }, [
      headline(hotel.name || 'Hotel', [stars(hotel.stars), hotel.district, hotel.address].filter(Boolean).join(' · '),
        h.cheapest && h.cheapest.price),
      el('ul', { class: 'facts' }, [
        el('li', { text: (room.code ? room.code.charAt(0).toUpperCase() + room.code.slice(1) : 'Room') + ' room' }),
        room.maxOccupancy ? el('li', { text: 'up to ' + plural(room.maxOccupancy, 'guest', 'guests') + ' per room' }) : null,
        typeof h.nights === 'number' ? el('li', { text: plural(h.nights, 'night', 'nights') }) : null,
        typeof h.rooms === 'number' ? el('li', { text: plural(h.rooms, 'room', 'rooms') }) : null,
        el('li', { text: 'total for the stay' })
      ]),
      offersBlock(h)
    ]);
  }

  function carCard(c) {
    var cls = c.carClass || {}, station = c.station || {};
    return el('article', { class: 'card', 'data-product': c.id, 'data-cheapest': amountOf(c) }, [
      headline((cls.name || 'Car') + (cls.code ? ' (' + cls.code + ')' : ''),
        station.iata ? station.iata + (station.name ? ' · ' + station.name : '') : null, c.cheapest && c.cheapest.price),
      el('ul', { class: 'facts' }, [
        cls.seats ? el('li', { text: plural(cls.seats, 'seat', 'seats') }) : null,
        cls.doors ? el('li', { text: plural(cls.doors, 'door', 'doors') }) : null,
        cls.transmission ? el('li', { text: cls.transmission }) : null,
        typeof c.days === 'number' ? el('li', { text: plural(c.days, 'day', 'days') + ', total price' }) : null
      ]),
      offersBlock(c)
    ]);
  }

  var LEG_NAMES = { outbound: 'outbound flight', 'return': 'return flight', hotel: 'hotel', car: 'car' };

  function legName(leg) {
    return LEG_NAMES[leg] || leg;
  }

  /** A bundle part as the trip answer gives it: the product without its offers (cheapest and spread kept). */
  function bundlePart(label, summaryNodes, product, price) {
    var cheapest = product.cheapest || {};
    return el('div', { class: 'bundle-part' }, [
      el('h4', { text: label }),
      summaryNodes,
      el('p', { class: 'bundle-price' }, [
        money(price || cheapest.price),
        cheapest.provider ? el('span', { class: 'small', text: ' at ' + (cheapest.provider.name || cheapest.provider.code) }) : null
      ]),
      product.spread && product.spread.amount > 0
        ? el('p', { class: 'spread', text: 'Saves ' + money(product.spread) + ' against the dearest provider.' }) : null
    ]);
  }

  function flightPart(label, f, price) {
    var s = flightSummary(f);
    return bundlePart(label, el('div', null, [el('p', { text: s.title }), s.facts]), f, price);
  }

  /** What each leg of the trip found, in plain words, for the legs that have nothing to show. */
  function legNotices(body) {
    var legs = body.legs || {}, q = body.query || {};
    var notes = [];
    Object.keys(legs).forEach(function (k) {
      var l = legs[k] || {};
      if (l.failed) {
        notes.push(el('p', { class: 'notice warn', text: 'The ' + legName(k) + ' could not be searched just now; ' +
          'the bundles leave it out.' }));
      } else if (l.count === 0) {
        var where = k === 'hotel' ? 'No hotel found near ' + q.to + ' for these dates'
          : k === 'car' ? 'No rental car found at ' + q.to + ' for these dates'
          : 'No ' + legName(k) + ' found for this date';
        notes.push(el('p', { class: 'notice', text: where + (l.problem ? ' (' + l.problem + ')' : '') +
          '; the bundles leave it out.' }));
      } else if (l.degraded) {
        notes.push(el('p', { class: 'notice warn', text: 'The ' + legName(k) + ' prices are saved prices from earlier ' +
          '(the provider could not be reached just now).' }));
      }
    });
    return notes;
  }

  function renderTrips(body) {
    var bundles = Array.isArray(body.bundles) ? body.bundles : [];
    var q = body.query || {};
    var when = q['return'] ? formatDate(q.depart) + ' – ' + formatDate(q['return'])
      : formatDate(q.depart) + (q.nights ? ', ' + plural(q.nights, 'night', 'nights') : '') + ', one way';
    if (bundles.length === 0) {
      status.textContent = 'No trip found for this search.';
      resultList.appendChild(el('p', { class: 'empty', text: 'Nothing found: no trip could be put together for ' +
        'these places and dates. Try other dates or places.' }));
    } else {
      status.textContent = plural(bundles.length, 'bundle', 'bundles') + ' for ' + (q.from || '') + ' → ' + (q.to || '') +
        ', ' + when + ', ' + plural(q.adults || 1, 'adult', 'adults') + '; cheapest first.';
    }
    legNotices(body).forEach(function (n) { resultList.appendChild(n); });
    bundles.forEach(function (b, i) {
      var prices = b.prices || {};
      var parts = [];
      if (b.outbound) parts.push(flightPart('Outbound flight', b.outbound, prices.outbound));
      if (b['return']) parts.push(flightPart('Return flight', b['return'], prices['return']));
      if (b.hotel) {
        var hotel = b.hotel.hotel || {}, room = b.hotel.room || {};
        parts.push(bundlePart('Hotel', el('p', {
          text: [hotel.name, stars(hotel.stars), room.code ? room.code + ' room' : '',
            typeof b.hotel.rooms === 'number' ? plural(b.hotel.rooms, 'room', 'rooms') : '',
            typeof b.hotel.nights === 'number' ? plural(b.hotel.nights, 'night', 'nights') : ''].filter(Boolean).join(' · ')
        }), b.hotel, prices.hotel));
      }
      if (b.car) {
        var cls = b.car.carClass || {};
        parts.push(bundlePart('Car', el('p', {
          text: [cls.name, cls.transmission, typeof b.car.days === 'number' ? plural(b.car.days, 'day', 'days') : '']
            .filter(Boolean).join(' · ')
        }), b.car, prices.car));
      }
      var missing = Array.isArray(b.missing) && b.missing.length
        ? el('p', { class: 'small', text: 'Not included: ' + b.missing.map(legName).join(', ') + '.' }) : null;
      resultList.appendChild(el('article', { class: 'card bundle' + (i === 0 ? ' best' : ''), 'aria-label': 'Bundle ' + (i + 1),
        'data-total': b.total && b.total.amount }, [
        headline('Bundle ' + (i + 1) + (i === 0 ? ' — cheapest' : ''), null, null),
        el('div', { class: 'bundle-parts' }, parts),
        missing,
        el('p', { class: 'bundle-total' }, [el('span', { text: 'Total ' }), el('strong', { class: 'total', text: money(b.total) })]),
        b.spread && b.spread.amount > 0
          ? el('p', { class: 'bundle-spread', text: 'The same bundle costs ' + money(b.mostExpensive) +
              ' at the most expensive providers (' + money(b.spread) + ' more).' })
          : el('p', { class: 'bundle-spread', text: 'Every provider charges the same for this bundle.' })
      ]));
    });
    var legs = body.legs || {};
    var legNotes = Object.keys(legs).map(function (k) {
      var l = legs[k] || {};
      return legName(k) + ': ' + (l.failed ? 'failed' : (l.cache || '–')) + (l.degraded && !l.failed ? ' (degraded)' : '');
    });
    if (legNotes.length) {
      cacheInfo.textContent = (cacheInfo.textContent ? cacheInfo.textContent + ' · ' : '') + 'Legs: ' + legNotes.join(', ');
    }
    pager.hidden = true;
  }

  // ---------------------------------------------------------------------------------------------- forms

  function value(form, name) {
    var f = form.elements.namedItem(name);
    return f ? String(f.value).trim() : '';
  }

  var builders = {
    flights: function (form) {
      var from = airportCode(form.elements.namedItem('from'), true);
      var to = airportCode(form.elements.namedItem('to'), true);
      if (!from || !to) return null;
      return { from: from, to: to, date: value(form, 'date'), adults: value(form, 'adults'),
        cabin: value(form, 'cabin'), maxStops: value(form, 'maxStops'), sort: value(form, 'sort') };
    },
    hotels: function (form) {
      var nearInput = form.elements.namedItem('near');
      var city = value(form, 'city');
      var p = { checkIn: value(form, 'checkIn'), checkOut: value(form, 'checkOut'), guests: value(form, 'guests'),
        rooms: value(form, 'rooms'), minStars: value(form, 'minStars'), sort: value(form, 'sort') };
      if (nearInput.value.trim() && city) {
        nearInput.setCustomValidity('Give an airport or a city, not both.');
        return null;
      }
      if (!nearInput.value.trim() && !city) {
        nearInput.setCustomValidity('Give an airport or a city.');
        return null;
      }
      if (city) p.city = city;
      else {
        var near = airportCode(nearInput, true);
        if (!near) return null;
        p.near = near;
      }
      return p;
    },
    cars: function (form) {
      var location = airportCode(form.elements.namedItem('location'), true);
      if (!location) return null;
      var p = { location: location,
        pickUp: value(form, 'pickUpDate') + 'T' + value(form, 'pickUpTime'),
        dropOff: value(form, 'dropOffDate') + 'T' + value(form, 'dropOffTime'),
        sort: value(form, 'sort') };
      if (value(form, 'carClass')) p.carClass = value(form, 'carClass');
      return p;
    },
    trips: function (form) {
      var from = airportCode(form.elements.namedItem('from'), true);
      var to = airportCode(form.elements.namedItem('to'), true);
      if (!from || !to) return null;
      var p = { from: from, to: to, depart: value(form, 'depart'), adults: value(form, 'adults'), rooms: value(form, 'rooms') };
      if (value(form, 'tripType') === 'oneway') {
        if (value(form, 'nights')) p.nights = value(form, 'nights');
      } else {
        p['return'] = value(form, 'return');
      }
      return p;
    }
  };

  Array.prototype.forEach.call(document.querySelectorAll('form.search-form'), function (form) {
    form.addEventListener('input', function (e) {
      if (e.target && e.target.setCustomValidity) e.target.setCustomValidity('');
      // the hotel form's near/city exclusivity message sits on the near field
      var near = form.elements.namedItem('near');
      if (near && e.target && e.target.name === 'city') near.setCustomValidity('');
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (!form.reportValidity()) return;
      var kind = form.getAttribute('data-kind');
      var params = builders[kind](form);
      if (!params || !form.reportValidity()) return;
      run(kind, params, 0);
    });
  });

  // Round trip or one way: only the fields of the chosen kind are shown (and validated).
  (function () {
    var form = document.getElementById('form-trips');
    function sync() {
      var oneWay = form.elements.namedItem('tripType').value === 'oneway';
      Array.prototype.forEach.call(form.querySelectorAll('.round-only'), function (n) { n.hidden = oneWay; });
      Array.prototype.forEach.call(form.querySelectorAll('.oneway-only'), function (n) { n.hidden = !oneWay; });
      form.elements.namedItem('return').required = !oneWay;
      form.elements.namedItem('return').disabled = oneWay;
      form.elements.namedItem('nights').disabled = !oneWay;
    }
    Array.prototype.forEach.call(form.querySelectorAll('input[name="tripType"]'), function (r) {
      r.addEventListener('change', sync);
    });
    sync();
  })();

  // Open the tab named in the address (#hotels, #cars, #trips).
  var initial = document.getElementById('tab-' + (location.hash || '').replace('#', ''));
  if (initial && initial.getAttribute('role') === 'tab') selectTab(initial, false);
})();
