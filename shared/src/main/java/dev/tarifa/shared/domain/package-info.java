/**
 * The outcomes, other than success, that domain operations of every service share ({@link
 * dev.tarifa.shared.domain.DomainException} and its kinds). Stores and services throw these instead
 * of HTTP types; {@code dev.tarifa.shared.http.ProblemHandler} is the one place that maps them to
 * problem details.
 */
package dev.tarifa.shared.domain;
