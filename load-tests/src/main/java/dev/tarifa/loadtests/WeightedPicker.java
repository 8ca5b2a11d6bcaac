package dev.tarifa.loadtests;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/** Picks items with fixed weights in O(log n) (cumulative weights + binary search). Immutable. */
final class WeightedPicker<T> {
  private final List<T> items;
  private final double[] cumulative;

  WeightedPicker(List<T> items, ToDoubleFunction<T> weight) {
    this(items, items.stream().mapToDouble(weight).toArray());
  }

  private WeightedPicker(List<T> items, double[] weights) {
    if (items.isEmpty()) throw new IllegalArgumentException("nothing to pick from");
    this.items = List.copyOf(items);
    this.cumulative = new double[items.size()];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      if (!(weights[i] >= 0))
        throw new IllegalArgumentException("negative weight for " + items.get(i));
      sum += weights[i];
      cumulative[i] = sum;
    }
    if (sum <= 0) throw new IllegalArgumentException("all weights are zero");
  }

  /**
   * Zipf by position: the item at index {@code r} (0 = most popular) weighs {@code 1 / (r + 1)^s}.
   */
  static <T> WeightedPicker<T> zipf(List<T> byPopularity, double s) {
    double[] w = new double[byPopularity.size()];
    for (int r = 0; r < w.length; r++) w[r] = 1.0 / Math.pow(r + 1, s);
    return new WeightedPicker<>(byPopularity, w);
  }

  T pick(SplittableRandom random) {
    double x = random.nextDouble() * cumulative[cumulative.length - 1];
    int i = Arrays.binarySearch(cumulative, x);
    if (i < 0) i = -i - 1;
    return items.get(Math.min(i, items.size() - 1));
  }

  /** The probability of the item at {@code index}. */
  double probability(int index) {
    double total = cumulative[cumulative.length - 1];
    return (cumulative[index] - (index == 0 ? 0 : cumulative[index - 1])) / total;
  }

  List<T> items() {
    return items;
  }
}
