package io.itsm.cmdb.service;

import java.util.Map;

import io.itsm.cmdb.domain.CiStatus;
import io.itsm.cmdb.domain.Environment;

/** What creating a CI needs; {@code null} status and criticality take their defaults (INSTALLED, 3). */
public record NewCi(String ciClass, String name, CiStatus status, Environment environment, Integer criticality,
                    String owner, String supportGroup, Map<String, Object> attributes) {
}
