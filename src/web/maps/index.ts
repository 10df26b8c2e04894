/** Server-side maps of Colombia: the shipped department shapes, projection of points onto them, and SVG choropleths with points. */
export { colombiaDepartments, departmentAt, departmentNamed, projectPoint, shapeContains, shapePath, type DepartmentShape, type DepartmentShapes, type MapPoint, type MapProjection } from './colombia.js';
export { classOf, renderColombiaMap, valueClasses, type ColombiaMapInput, type MapWords, type PlacedPoint, type ValueClass } from './map-svg.js';
export { datasetPlaces, parseWktPoint, pointOf, type DatasetPlaces, type PlacesOptions } from './places.js';
