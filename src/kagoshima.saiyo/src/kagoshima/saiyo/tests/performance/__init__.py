"""Tests of kagoshima.saiyo.performance and the render-cost cures (issue 15)."""
