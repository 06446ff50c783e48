"""Text as Lytter reads it: folding, tokens and inflections, Danish and English first."""
