// positive
const MAPS_KEY = "@@GOOGLE@@";
// negative: too short
const other = "AIzaShort123";
