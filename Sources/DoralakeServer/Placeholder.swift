enum _PlaceholderDoralakeServer {}
