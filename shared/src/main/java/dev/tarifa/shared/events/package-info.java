/**
 * Domain events: the {@link dev.tarifa.shared.events.DomainEvent} contract, the transactional
 * {@link dev.tarifa.shared.events.Outbox} and its {@link dev.tarifa.shared.events.OutboxRelay}, and
 * one {@link dev.tarifa.shared.events.EventTransport} over RabbitMQ (when {@code TARIFA_AMQP_URL}
 * is set) or the Vert.x event bus (embedded default).
 *
 * <p>Wiring in a PostgreSQL service:
 *
 * <pre>{@code
 * EventTransports.fromEnv(vertx, env, "hotels").onSuccess(transport -> {
 *   EventTransports.registerReadiness(health, transport);
 *   OutboxRelay relay = OutboxRelay.create(vertx, "hotels", new PgOutboxStore(pool), transport, EventsConfig.fromEnv(env)).start();
 *   EventRetention retention = EventRetention.forPostgres(vertx, "hotels", pool, EventsConfig.fromEnv(env)).start();
 *   // after a transaction that called Outbox.append(tx, event): relay.nudge();
 * });
 * // on stop: relay.stop(), retention.stop(), then close the transport and the pool
 * }</pre>
 *
 * A consumer: {@code transport.subscribe("hotels.ratings", List.of("reviews.review.*"), handler)}
 * with a handler that uses {@link dev.tarifa.shared.events.ProcessedEvents#markProcessed} in its
 * transaction; a gateway replica: {@code subscribe("gateway.invalidation." + replicaId,
 * List.of("*.offer.changed"), evict,
 * SubscribeOptions.DEFAULT.withEphemeral(Duration.ofMinutes(5)).withDedupe(ProcessedEvents.inMemory(10_000)))}.
 * Dead letters: {@code transport.deadLetters()}.
 */
package dev.tarifa.shared.events;
