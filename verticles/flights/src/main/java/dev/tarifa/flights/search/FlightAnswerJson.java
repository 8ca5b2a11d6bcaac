package dev.tarifa.flights.search;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tarifa.flights.domain.IsoTimes;
import dev.tarifa.flights.domain.Itinerary;
import dev.tarifa.shared.http.JsonBuffers;
import dev.tarifa.shared.money.Money;
import dev.tarifa.shared.pricing.Offer;
import dev.tarifa.shared.pricing.SearchPage;
import dev.tarifa.shared.search.FlightQuery;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The body of a flight search answer written field by field into a buffer: the same bytes as the
 * tree of {@link SearchPage#envelope} over {@link Itinerary#toJson()} with each leg's airline
 * rating (same fields, values and order; {@code FlightAnswerJsonTest} compares the two), without
 * building the tree. On a miss the tree and its encoding were a fifth of the all-in-one's sampled
 * CPU (docs/PERFORMANCE.md, "Miss path, second pass").
 */
final class FlightAnswerJson {
  /** Room for a typical page (9–24 KB), so the buffer rarely grows. */
  private static final int SIZE_HINT = 16 * 1024;

  private FlightAnswerJson() {}

  static Buffer write(
      FlightQuery q,
      List<Itinerary> page,
      int total,
      Collection<String> answered,
      Map<String, JsonObject> ratings) {
    return JsonBuffers.write(
        SIZE_HINT,
        gen -> {
          gen.writeStartObject();
          gen.writeFieldName("query");
          query(gen, q);
          gen.writeArrayFieldStart("results");
          for (Itinerary it : page) itinerary(gen, it, ratings);
          gen.writeEndArray();
          gen.writeNumberField("total", total);
          gen.writeNumberField("limit", q.limit());
          gen.writeNumberField("offset", q.offset());
          gen.writeObjectFieldStart("providers");
          gen.writeArrayFieldStart("answered");
          for (String p : new TreeSet<>(answered)) gen.writeString(p);
          gen.writeEndArray();
          gen.writeEndObject();
          gen.writeEndObject();
        });
  }

  /** As {@link FlightQuery#toJson()}. */
  private static void query(JsonGenerator gen, FlightQuery q) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("from", q.from());
    gen.writeStringField("to", q.to());
    gen.writeStringField("date", q.date().toString());
    gen.writeNumberField("adults", q.adults());
    gen.writeStringField("cabin", q.cabin());
    gen.writeNumberField("maxStops", q.maxStops());
    gen.writeStringField("sort", q.sort());
    gen.writeNumberField("limit", q.limit());
    gen.writeNumberField("offset", q.offset());
    gen.writeEndObject();
  }

  /** As {@link Itinerary#toJson()}, each leg's airline with its {@code rating}. */
  private static void itinerary(JsonGenerator gen, Itinerary it, Map<String, JsonObject> ratings)
      throws IOException {
    List<Itinerary.Leg> legs = it.legs();
    Itinerary.Leg first = legs.get(0), last = legs.get(legs.size() - 1);
    gen.writeStartObject();
    gen.writeStringField("id", it.id());
    gen.writeNumberField("stops", legs.size() - 1);
    gen.writeStringField("departure", IsoTimes.minutes(first.departure()));
    gen.writeStringField("arrival", IsoTimes.minutes(last.arrival()));
    gen.writeNumberField("durationMinutes", it.duration());
    gen.writeArrayFieldStart("legs");
    for (Itinerary.Leg l : legs) leg(gen, l, ratings);
    gen.writeEndArray();
    if (legs.size() > 1) {
      gen.writeNumberField(
          "layoverMinutes",
          (int)
              Duration.between(
                      first.arrival().minusMinutes(first.to().utcOffsetMinutes()),
                      legs.get(1).departure().minusMinutes(legs.get(1).from().utcOffsetMinutes()))
                  .toMinutes());
    }
    gen.writeArrayFieldStart("offers");
    for (Offer o : it.offers().offers()) offer(gen, o);
    gen.writeEndArray();
    gen.writeFieldName("cheapest");
    offer(gen, it.offers().cheapest());
    gen.writeFieldName("spread");
    money(gen, it.offers().spread());
    gen.writeEndObject();
  }

  private static void leg(JsonGenerator gen, Itinerary.Leg l, Map<String, JsonObject> ratings)
      throws IOException {
    gen.writeStartObject();
    gen.writeStringField("flight", l.flight());
    gen.writeObjectFieldStart("airline");
    gen.writeStringField("code", l.airline().iata());
    gen.writeStringField("name", l.airline().name());
    gen.writeFieldName("rating");
    JsonObject rating = ratings.get(l.airline().iata());
    if (rating == null) gen.writeNull();
    else {
      gen.writeStartObject();
      // the simple values of a rating ({average, count}): null, numbers, strings
      for (Map.Entry<String, Object> e : rating) {
        gen.writeFieldName(e.getKey());
        gen.writeObject(e.getValue());
      }
      gen.writeEndObject();
    }
    gen.writeEndObject();
    gen.writeObjectFieldStart("from");
    airport(gen, l.from());
    gen.writeObjectFieldStart("to");
    airport(gen, l.to());
    gen.writeStringField("departure", IsoTimes.minutes(l.departure()));
    gen.writeStringField("arrival", IsoTimes.minutes(l.arrival()));
    gen.writeNumberField("durationMinutes", l.duration());
    gen.writeEndObject();
  }

  /** The fields of {@code Airport#toRef()}, then the end of its object. */
  private static void airport(JsonGenerator gen, dev.tarifa.flights.domain.Airport a)
      throws IOException {
    gen.writeStringField("iata", a.iata());
    gen.writeStringField("name", a.name());
    gen.writeStringField("city", a.city());
    gen.writeEndObject();
  }

  /** As {@link Offer#toJson()}. */
  private static void offer(JsonGenerator gen, Offer o) throws IOException {
    gen.writeStartObject();
    gen.writeObjectFieldStart("provider");
    gen.writeStringField("code", o.providerCode());
    gen.writeStringField("name", o.providerName());
    gen.writeEndObject();
    gen.writeFieldName("price");
    money(gen, o.price());
    gen.writeEndObject();
  }

  /** As {@link Money#toJson()}. */
  private static void money(JsonGenerator gen, Money m) throws IOException {
    gen.writeStartObject();
    gen.writeNumberField("amount", m.amount());
    gen.writeStringField("currency", m.currency());
    gen.writeEndObject();
  }
}
