package dev.tarifa.flights.service;

import dev.tarifa.flights.domain.Cabin;
import dev.tarifa.flights.domain.FareEntry;
import dev.tarifa.flights.domain.FlightFares;
import dev.tarifa.flights.domain.Schedule;
import dev.tarifa.flights.domain.ScheduleList;
import dev.tarifa.flights.store.AdminStore;
import dev.tarifa.shared.domain.NotFound;
import dev.tarifa.shared.domain.VersionMismatch;
import dev.tarifa.shared.domain.VersionRequired;
import io.vertx.core.Future;

/**
 * The administration of flight schedules and their providers' fares. Every change is optimistic: it
 * names the version it is based on and fails with {@link VersionMismatch} when that is not the
 * current one; absent schedules and fares are {@link NotFound}. Each committed change also emits
 * the offer-change event that evicts the searches it may change (see {@link AdminStore}).
 */
public final class FlightsAdmin {
  private final AdminStore store;

  public FlightsAdmin(AdminStore store) {
    this.store = store;
  }

  /** A provider's fare in one cabin of one scheduled flight. */
  public record FareKey(long flightId, Cabin cabin, String provider) {}

  /** The schedules from {@code from} to {@code to}, by local departure time. */
  public Future<ScheduleList> schedules(String from, String to) {
    return store.schedules(from, to).map(list -> new ScheduleList(from, to, list));
  }

  public Future<Schedule> schedule(long id) {
    return store.schedule(id);
  }

  /**
   * The new schedule, with its id and version 1; a second schedule with the same airline and number
   * is a conflict.
   */
  public Future<Schedule> create(Schedule schedule) {
    return store.create(schedule);
  }

  public Future<Schedule> replace(long id, int version, Schedule schedule) {
    return store.replace(id, version, schedule);
  }

  public Future<Void> delete(long id, int version) {
    return store.delete(id, version);
  }

  /** Every fare of the flight, by cabin, amount and provider. */
  public Future<FlightFares> fares(long flightId) {
    return store.fares(flightId).map(list -> new FlightFares(flightId, list));
  }

  public Future<FareEntry> fare(FareKey key) {
    return store.fare(key.flightId(), key.cabin(), key.provider());
  }

  /**
   * Sets the fare to {@code amount} EUR cents. Without {@code version} the fare must not exist yet
   * (it is created); replacing an existing fare needs its version ({@link VersionRequired}
   * without). With {@code mustExist} an absent fare is {@link NotFound} instead of being created.
   */
  public Future<AdminStore.FareWrite> putFare(
      FareKey key, long amount, Integer version, boolean mustExist) {
    return store.putFare(key.flightId(), key.cabin(), key.provider(), amount, version, mustExist);
  }

  public Future<Void> deleteFare(FareKey key, int version) {
    return store.deleteFare(key.flightId(), key.cabin(), key.provider(), version);
  }
}
