export { loadMarketMakerConfig, type MarketMakerConfig } from "./config.js";
export { marketMakerService } from "./server.js";
