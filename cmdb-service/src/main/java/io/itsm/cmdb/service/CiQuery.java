package io.itsm.cmdb.service;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.itsm.cmdb.domain.CiStatus;
import io.itsm.cmdb.domain.Environment;

/**
 * The filters of a CI list; every one is optional (null or empty: no filter) and they combine with AND. Values are
 * plain data, never query syntax: the repository compares them as literals.
 *
 * @param classes    the class named and all its subclasses
 * @param attributes attribute name → value the attribute equals (as text, or as the number or boolean the text reads as)
 * @param text       a case-insensitive part of the name or the number
 */
public record CiQuery(List<String> numbers, Set<String> classes, List<CiStatus> statuses, List<Environment> environments, List<Integer> criticalities,
                      String owner, String supportGroup, Map<String, String> attributes, String text) {
}
