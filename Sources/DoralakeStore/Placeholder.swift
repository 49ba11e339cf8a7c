enum _PlaceholderDoralakeStore {}
