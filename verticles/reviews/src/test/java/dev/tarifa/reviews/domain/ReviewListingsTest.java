package dev.tarifa.reviews.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The listing answers' JSON, field by field and in order: clients and tests compare the text. */
class ReviewListingsTest {
  private static final ReviewPage PAGE = new ReviewPage(List.of(), 7, 20, 40);

  @Test
  void aSubjectsReviewsEchoTheSubjectAndTheSort() {
    SubjectReviews listing =
        new SubjectReviews(Subject.parse("subject", "airline:lh"), ReviewOrder.HELPFUL, PAGE);
    assertThat(listing.toJson().encode())
        .isEqualTo(
            "{\"query\":{\"subject\":\"airline:LH\",\"sort\":\"helpful\"},"
                + "\"results\":[],\"total\":7,\"limit\":20,\"offset\":40}");
  }

  @Test
  void moderationEchoesOnlyTheFiltersAskedFor() {
    assertThat(new ModerationPage(null, null, PAGE).toJson().encode())
        .isEqualTo("{\"query\":{},\"results\":[],\"total\":7,\"limit\":20,\"offset\":40}");
    assertThat(
            new ModerationPage(Subject.parse("subject", "hotel:9"), false, PAGE).toJson().encode())
        .isEqualTo(
            "{\"query\":{\"subject\":\"hotel:9\",\"hidden\":false},"
                + "\"results\":[],\"total\":7,\"limit\":20,\"offset\":40}");
  }

  @Test
  void summariesKeepTheOrderAskedFor() {
    RatingSummaries all =
        new RatingSummaries(
            List.of(RatingSummary.empty("hotel:2"), RatingSummary.empty("hotel:1")));
    assertThat(all.toJson().getJsonArray("results").getJsonObject(0).getString("subject"))
        .isEqualTo("hotel:2");
    assertThat(all.toJson().encode()).startsWith("{\"results\":[{\"subject\":\"hotel:2\"");
  }
}
