package io.vmclone.planner.core;

/** What planning decided: create these objects ({@link Plan}) or refuse ({@link Rejection}). */
public sealed interface PlanOutcome permits Plan, Rejection {}
