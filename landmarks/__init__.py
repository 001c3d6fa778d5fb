"""湖北地标品牌地图: domain model, regions, validation, storage and map building."""
