package dev.tarifa.cars.service;

import dev.tarifa.cars.domain.Station;
import dev.tarifa.cars.domain.StationClass;
import dev.tarifa.cars.store.CarStore;
import dev.tarifa.cars.store.CarStore.RateWrite;
import dev.tarifa.shared.domain.NotFound;
import dev.tarifa.shared.domain.VersionMismatch;
import dev.tarifa.shared.domain.VersionRequired;
import dev.tarifa.shared.money.Money;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The administration of rental stations, the car classes they offer and the suppliers' rates for
 * them. Every change is optimistic: it names the version it is based on and fails with {@link
 * VersionMismatch} when that is not the current one; absent stations, classes and rates are {@link
 * NotFound}. Each committed change also emits the offer-change event that evicts the station's
 * searches (see {@link CarStore}).
 */
public final class CarsAdmin {
  private final CarStore store;

  public CarsAdmin(CarStore store) {
    this.store = store;
  }

  /** The new station at version 1; one that exists already is a conflict. */
  public Future<Station> createStation(Station station) {
    return store.createStation(station);
  }

  /** The station with its classes and their rates (the admin form, with its {@code version}). */
  public Future<JsonObject> station(String iata) {
    return store
        .stationDetails(iata)
        .compose(
            json ->
                json == null
                    ? Future.failedFuture(new NotFound("no station " + iata))
                    : Future.succeededFuture(json));
  }

  public Future<Station> updateStation(String iata, int version, Station station) {
    return store.updateStation(iata, version, station);
  }

  public Future<Void> deleteStation(String iata, int version) {
    return store.deleteStation(iata, version);
  }

  /** Offers a class at a station; the new offer's version. Offering it twice is a conflict. */
  public Future<StationClass> addClass(String iata, String classCode) {
    return store
        .addClass(iata, classCode)
        .map(version -> new StationClass(iata, classCode, version));
  }

  public Future<Void> removeClass(String iata, String classCode, int version) {
    return store.removeClass(iata, classCode, version);
  }

  /**
   * Sets a supplier's base daily rate for a class at a station. Without {@code version} the rate
   * must not exist yet (it is created); replacing an existing rate needs its version ({@link
   * VersionRequired} without).
   */
  public Future<RateWrite> putRate(
      String iata, String classCode, String supplier, Integer version, Money baseDaily) {
    return store.putRate(iata, classCode, supplier, version, baseDaily);
  }

  public Future<Void> deleteRate(String iata, String classCode, String supplier, int version) {
    return store.deleteRate(iata, classCode, supplier, version);
  }
}
