package dev.hotline.directory;

/** A department of one enterprise, optionally under a parent department. */
public record Department(long id, String name, Long parentId) {}
