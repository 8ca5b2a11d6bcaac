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
      var title = p.title || ('Request failed (' + res.status + ')');
      var detail = p.detail || '';
      if (res.status === 400 && !detail) detail = 'Please check the search fields.';
      if (res.status === 429) {
        title = 'Too many searches';
        detail = 'Please wait ' + (retry || 'a few') + ' seconds and try again.';
      } else if (res.status >= 500) {
        detail = detail || 'The service is temporarily unavailable. Please try again shortly.';
      }
      showError(title, detail, p.requestId ? 'Reference: ' + p.requestId : null);
      status.textContent = title + '.';
      if (res.status === 400 && p.parameter) markInvalid(p.parameter);
    });
  }

  var PARAM_FIELDS = {
    flights: { from: 'flights-from', to: 'flights-to', date: 'flights-date', adults: 'flights-adults' },
    hotels: { near: 'hotels-near', city: 'hotels-city', checkIn: 'hotels-checkin', checkOut: 'hotels-checkout',
      guests: 'hotels-guests', rooms: 'hotels-rooms' },
    cars: { location: 'cars-location', pickUp: 'cars-pickup-date', dropOff: 'cars-dropoff-date', carClass: 'cars-class' },
    trips: { from: 'trips-from', to: 'trips-to', depart: 'trips-depart', 'return': 'trips-return', adults: 'trips-adults' }
  };

  function markInvalid(parameter) {
    if (!current) return;
    var id = (PARAM_FIELDS[current.kind] || {})[parameter];
    var field = id && document.getElementById(id);
    if (!field) return;
    field.setAttribute('aria-invalid', 'true');
    field.addEventListener('input', function once() {
      field.removeAttribute('aria-invalid');
      field.removeEventListener('input', once);
    });
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
      return res.json().then(function (body) {
        if (mine !== inFlight) return;
        render(kind, body, headerDegraded);
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

  function render(kind, body, headerDegraded) {
    clear(resultList);
    var degraded = headerDegraded || body.degraded === true;
    if (degraded) {
      var failed = Array.isArray(body.failedLegs) && body.failedLegs.length
        ? ' Not included: ' + body.failedLegs.join(', ') + '.' : '';
      showDegraded('Some providers could not be reached, so these results may be incomplete or slightly out of date.' + failed);
    }
    if (kind === 'trips') return renderTrips(body);
    var results = Array.isArray(body.results) ? body.results : [];
    var total = typeof body.total === 'number' ? body.total : results.length;
    var offset = typeof body.offset === 'number' ? body.offset : current.offset;
    var renderer = { flights: flightCard, hotels: hotelCard, cars: carCard }[kind];
    results.forEach(function (r) { resultList.appendChild(renderer(r)); });
    var answered = body.providers && Array.isArray(body.providers.answered) ? body.providers.answered.length : 0;
    if (results.length === 0) {
      status.textContent = 'No offers found for this search.';
      resultList.appendChild(el('p', { class: 'empty', text: 'No offers found. Try other dates or places.' }));
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
      list.appendChild(el('li', { class: isCheapest ? 'offer cheapest' : 'offer' }, [
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
    return el('article', { class: 'card' }, [
      headline(s.title, null, f.cheapest && f.cheapest.price),
      s.facts, s.legs, offersBlock(f)
    ]);
  }

  function stars(n) {
    return n ? n + '★' : '';
  }

  function hotelCard(h) {
    var hotel = h.hotel || {}, room = h.room || {};
    return el('article', { class: 'card' }, [
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
    return el('article', { class: 'card' }, [
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

  /** A bundle leg as the trip answer gives it: the product without its offers (cheapest and spread kept). */
  function bundlePart(label, summaryNodes, product) {
    var cheapest = product.cheapest || {};
    return el('div', { class: 'bundle-part' }, [
      el('h4', { text: label }),
      summaryNodes,
      el('p', { class: 'bundle-price' }, [
        money(cheapest.price),
        cheapest.provider ? el('span', { class: 'small', text: ' at ' + (cheapest.provider.name || cheapest.provider.code) }) : null
      ]),
      product.spread && product.spread.amount > 0
        ? el('p', { class: 'spread', text: 'Saves ' + money(product.spread) + ' against the dearest provider.' }) : null
    ]);
  }

  function renderTrips(body) {
    var bundles = Array.isArray(body.bundles) ? body.bundles : [];
    var q = body.query || {};
    if (bundles.length === 0) {
      status.textContent = 'No trip bundles found.';
      resultList.appendChild(el('p', { class: 'empty', text: 'No trip could be put together. Try other dates or places.' }));
    } else {
      status.textContent = plural(bundles.length, 'bundle', 'bundles') + ' for ' + (q.from || '') + ' → ' + (q.to || '') +
        ', ' + formatDate(q.depart) + ' – ' + formatDate(q['return']) + '.';
    }
    bundles.forEach(function (b, i) {
      var parts = [];
      if (b.flight) {
        var s = flightSummary(b.flight);
        parts.push(bundlePart('Flight', el('div', null, [el('p', { text: s.title }), s.facts]), b.flight));
      }
      if (b.hotel) {
        var hotel = b.hotel.hotel || {}, room = b.hotel.room || {};
        parts.push(bundlePart('Hotel', el('p', {
          text: [hotel.name, stars(hotel.stars), room.code ? room.code + ' room' : '',
            typeof b.hotel.nights === 'number' ? plural(b.hotel.nights, 'night', 'nights') : ''].filter(Boolean).join(' · ')
        }), b.hotel));
      }
      if (b.car) {
        var cls = b.car.carClass || {};
        parts.push(bundlePart('Car', el('p', {
          text: [cls.name, cls.transmission, typeof b.car.days === 'number' ? plural(b.car.days, 'day', 'days') : '']
            .filter(Boolean).join(' · ')
        }), b.car));
      }
      resultList.appendChild(el('article', { class: 'card bundle' + (i === 0 ? ' best' : '') }, [
        headline('Bundle ' + (i + 1) + (i === 0 ? ' — cheapest' : ''), null, null),
        el('div', { class: 'bundle-parts' }, parts),
        el('p', { class: 'bundle-total' }, [el('span', { text: 'Total ' }), el('strong', { text: money(b.total) })])
      ]));
    });
    var legs = body.legs || {};
    var legNotes = Object.keys(legs).map(function (k) {
      var l = legs[k] || {};
      return k + ': ' + (l.cache || '–') + (l.degraded ? ' (degraded)' : '');
    });
    if (legNotes.length) {
      cacheInfo.textContent = (cacheInfo.textContent ? cacheInfo.textContent + ' · ' : '') + 'Legs X-Cache: ' + legNotes.join(', ');
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
      return { from: from, to: to, depart: value(form, 'depart'), 'return': value(form, 'return'), adults: value(form, 'adults') };
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

  // Open the tab named in the address (#hotels, #cars, #trips).
  var initial = document.getElementById('tab-' + (location.hash || '').replace('#', ''));
  if (initial && initial.getAttribute('role') === 'tab') selectTab(initial, false);
})();
