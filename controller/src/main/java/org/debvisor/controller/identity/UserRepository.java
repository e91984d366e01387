package org.debvisor.controller.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** All SQL of the {@code users} table. */
public final class UserRepository {

  public void insert(Connection c, User user) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO users (name, role, password_hash, created_at, password_changed_at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, user.name());
      ps.setString(2, user.role().label());
      ps.setString(3, user.passwordHash());
      ps.setLong(4, user.createdAt().toEpochMilli());
      ps.setLong(5, user.passwordChangedAt().toEpochMilli());
      ps.executeUpdate();
    }
  }

  public Optional<User> find(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  public List<User> all(Connection c) throws SQLException {
    List<User> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY name");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(row(rs));
      }
    }
    return out;
  }

  /** Returns whether the user existed. */
  public boolean updatePassword(Connection c, String name, String hash, Instant at)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE name = ?")) {
      ps.setString(1, hash);
      ps.setLong(2, at.toEpochMilli());
      ps.setString(3, name);
      return ps.executeUpdate() == 1;
    }
  }

  public void updateRole(Connection c, String name, Role role) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE users SET role = ? WHERE name = ?")) {
      ps.setString(1, role.label());
      ps.setString(2, name);
      ps.executeUpdate();
    }
  }

  /** Returns whether the user existed; their sessions go with them (ON DELETE CASCADE). */
  public boolean delete(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE name = ?")) {
      ps.setString(1, name);
      return ps.executeUpdate() == 1;
    }
  }

  public long countAdmins(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT COUNT(*) FROM users WHERE role = 'admin'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static final String SELECT =
      "SELECT name, role, password_hash, created_at, password_changed_at FROM users";

  private static User row(ResultSet rs) throws SQLException {
    return new User(
        rs.getString(1),
        Role.parse(rs.getString(2)).orElseThrow(),
        rs.getString(3),
        Instant.ofEpochMilli(rs.getLong(4)),
        Instant.ofEpochMilli(rs.getLong(5)));
  }
}
