"""The funding pots (#17, part 5). Built in the next step."""
