package org.dialtone.resolver.record;

import java.util.List;
import java.util.Objects;
import org.dialtone.resolver.number.DialNumber;

/**
 * One recommendation: "try {@code number}", with a note and the interests it serves.
 *
 * @param number the number recommended
 * @param note why, for people; at most 200 characters
 * @param interests lowercase interests the number is good for; it is findable by each
 */
public record Share(DialNumber number, String note, List<String> interests) {
  public Share {
    Objects.requireNonNull(number, "number");
    note = Limits.text("note", Objects.requireNonNull(note, "note"), Limits.MAX_NOTE_CHARS);
    interests = Limits.words("interests", interests);
  }
}
